import { describe, expect, it } from "vitest";
import { incidentsImporter } from "../../shared/imports/importers/incidents";
import { resolveLimits } from "../../shared/imports/limits";
import { openCsv } from "../../shared/imports/read/csv-reader";
import { csvLine, formulaPrefix, rowErrorsCsv, writeCsv } from "../../shared/imports/read/csv-writer";
import { isFormulaLike } from "../../shared/imports/read/formulas";
import { bytes, collect, split } from "../fixtures/imports/helpers";

async function readBack(csv: string): Promise<string[][]> {
  const table = await openCsv(bytes(csv), resolveLimits());
  const rows = [table.headers];
  for await (const result of table.rows) if (result.ok) rows.push(result.cells);
  return rows;
}

const formulas = [
  "=1+1",
  "+SUM(A1:A9)",
  "-2+3",
  "@cmd",
  "\tTAB",
  "\rCR",
  "\nLF",
  '=HYPERLINK("http://x","y")',
  "=A1\n=B2",
];

describe("CSV writer", () => {
  it("prefixes every formula-like cell with an apostrophe and quotes it", () => {
    for (const value of formulas) {
      const line = csvLine([value]);
      expect(line.startsWith(`"'`)).toBe(true);
      expect(line.endsWith('"')).toBe(true);
    }
    // The pitfall: escapeFormulae: true misses "=" followed by a newline; the RegExp form does not.
    expect(csvLine(["=A1\n=B2"])).toBe(`"'=A1\n=B2"`);
  });

  it("flags on reading exactly what it neutralises on writing", () => {
    for (let code = 0; code < 0x10000; code++) {
      const value = `${String.fromCharCode(code)}x`;
      expect(isFormulaLike(value)).toBe(formulaPrefix.test(value));
    }
    expect(isFormulaLike("")).toBe(false);
  });

  it("leaves numbers and ordinary text alone", () => {
    expect(csvLine([-5, 3.5, true, null, undefined, "plain", "a-b", "x=1"])).toBe(
      "-5,3.5,true,,,plain,a-b,x=1",
    );
  });

  it("round-trips through the reader, except for the formula prefix", async () => {
    const rows = [
      ["plain", "with, comma", 'with "quotes"', "multi\nline", "crlf\r\nline", " padded ", "Seán Zürich ✓"],
      ["", "x", "", "y", "", "z", ""],
      formulas.slice(0, 7),
    ];
    const headers = ["c1", "c2", "c3", "c4", "c5", "c6", "c7"];
    const back = await readBack(writeCsv(headers, rows));
    expect(back[0]).toEqual(headers);
    expect(back[1]).toEqual(rows[0]);
    expect(back[2]).toEqual(rows[1]);
    expect(back[3]).toEqual(formulas.slice(0, 7).map((value) => `'${value}`));
  });

  it("writes the reject manifest with neutralised messages", async () => {
    const csv = rowErrorsCsv([
      { row: 3, column: "title", code: "invalid_value", message: "=cmd|' /C calc'!A0", hint: "fix it" },
      { row: 0, code: "unknown_column", message: 'Unknown column "x".' },
    ]);
    expect(csv.split("\r\n")[0]).toBe("row,column,code,message,hint");
    const back = await readBack(csv);
    expect(back[1]).toEqual(["3", "title", "invalid_value", "'=cmd|' /C calc'!A0", "fix it"]);
    expect(back[2]).toEqual(["0", "", "unknown_column", 'Unknown column "x".', ""]);
  });
});

describe("formula-like values in imported records", () => {
  it("are kept exactly as data, flagged as formula_like, and neutralised on the way out", async () => {
    const csv = [
      "id,title,description,status,created_on",
      'F1,"=HYPERLINK(""http://evil.example"",""click"")",@SUM(1+1),triggered,2026-10-01T00:00:00Z',
      "F2,Plain title,-just a dash,triggered,2026-10-01T00:00:00Z",
      "",
    ].join("\n");
    const { records, errors } = split(
      await collect(incidentsImporter.read({ bytes: bytes(csv), format: "csv" })),
    );
    expect(errors).toEqual([]);
    const [first, second] = records;
    expect(first?.fields.title).toBe('=HYPERLINK("http://evil.example","click")');
    expect(first?.fields.description).toBe("@SUM(1+1)");
    expect(first?.warnings?.map((w) => [w.column, w.code])).toEqual([
      ["title", "formula_like"],
      ["description", "formula_like"],
    ]);
    expect(second?.warnings?.map((w) => w.column)).toEqual(["description"]);
    expect(isFormulaLike(first?.fields.title ?? "")).toBe(true);
    const out = writeCsv(["title"], [[first?.fields.title]]);
    expect(out).toBe(`title\r\n"'=HYPERLINK(""http://evil.example"",""click"")"\r\n`);
  });
});
