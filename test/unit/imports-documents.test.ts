import { describe, expect, it } from "vitest";
import { isAppError } from "../../shared/errors/app-error";
import { runbooksImporter } from "../../shared/imports/importers/runbooks";
import { resolveLimits } from "../../shared/imports/limits";
import { readDocument } from "../../shared/imports/read/documents";
import { parseJson } from "../../shared/imports/read/json-reader";
import { rowErrorsOf } from "../../shared/imports/read/problems";
import type { ImportFormat } from "../../shared/imports/types";
import { bytes, collect, fixture, problemOf } from "../fixtures/imports/helpers";

const limits = resolveLimits();
const readRunbooks = (input: Uint8Array, format: ImportFormat) =>
  collect(runbooksImporter.read({ bytes: input, format }));
const polluted = () => ({}) as Record<string, unknown>;

describe("JSON reader", () => {
  it("refuses 10,000 nested arrays with too_deep, without recursing", async () => {
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const problem = await problemOf(() => readDocument(bytes(deep), "json", limits));
    expect(problem).toMatchObject({ status: 422, code: "too_deep" });
    expect(problem.pointer).toBe(`/${Array(32).fill(0).join("/")}`);
  });

  it("refuses 1,000,000 nested objects just the same", async () => {
    const deep = `${'{"a":'.repeat(1_000_000)}1${"}".repeat(1_000_000)}`;
    expect((await problemOf(async () => parseJson(deep, limits))).code).toBe("too_deep");
  });

  it("accepts nesting up to the limit", () => {
    const ok = `${"[".repeat(32)}${"]".repeat(32)}`;
    expect(() => parseJson(ok, limits)).not.toThrow();
  });

  it("refuses __proto__ and constructor keys anywhere, with the JSON pointer, and pollutes nothing", async () => {
    const problem = await problemOf(() => readRunbooks(fixture("proto-pollution.json"), "json"));
    expect(problem).toMatchObject({ code: "forbidden_key", pointer: "/0/steps/0/__proto__" });
    const ctor = await problemOf(async () =>
      parseJson('{"a":{"b~/c":{"constructor":{"prototype":1}}}}', limits),
    );
    expect(ctor).toMatchObject({ code: "forbidden_key", pointer: "/a/b~0~1c/constructor" });
    expect(polluted().polluted).toBeUndefined();
  });

  it("refuses a key repeated in one object (JSON.parse would keep the last silently)", async () => {
    const problem = await problemOf(async () => parseJson('[{"a":1},{"x":true,"x":false}]', limits));
    expect(problem).toMatchObject({ code: "duplicate_key", pointer: "/1/x" });
    expect(() => parseJson('[{"a":1},{"a":2}]', limits)).not.toThrow();
  });

  it("names broken JSON invalid_json, an empty file empty_file", async () => {
    expect((await problemOf(() => readDocument(bytes('{"a": [1,]}'), "json", limits))).code).toBe(
      "invalid_json",
    );
    expect((await problemOf(() => readDocument(bytes("  \n"), "json", limits))).code).toBe("empty_file");
  });

  it("refuses a document over maxDocumentBytes with 413", async () => {
    const small = resolveLimits({ maxDocumentBytes: 100 });
    const problem = await problemOf(() => readDocument(bytes(`[${'"x",'.repeat(100)}"x"]`), "json", small));
    expect(problem).toMatchObject({ status: 413, code: "file_too_large" });
  });
});

describe("YAML reader", () => {
  it("refuses the billion-laughs alias bomb with too_many_aliases", async () => {
    const problem = await problemOf(() => readRunbooks(fixture("billion-laughs.yaml"), "yaml"));
    expect(problem).toMatchObject({ status: 422, code: "too_many_aliases" });
  });

  it("allows a few aliases", async () => {
    const value = await readDocument(bytes("a: &x [1, 2]\nb: *x\n"), "yaml", limits);
    expect(value).toEqual({ a: [1, 2], b: [1, 2] });
  });

  it("refuses !!js/function, custom and YAML 1.1 tags with unsupported_tag", async () => {
    expect((await problemOf(() => readRunbooks(fixture("js-function.yaml"), "yaml"))).code).toBe(
      "unsupported_tag",
    );
    for (const text of [
      "a: !foo bar\n",
      "a: !!binary aGVsbG8=\n",
      "a: !!set {x}\n",
      "a: !!timestamp 2020-01-01\n",
    ]) {
      expect((await problemOf(() => readDocument(bytes(text), "yaml", limits))).code).toBe("unsupported_tag");
    }
    expect(await readDocument(bytes("a: !!str 1\nb: 2026-01-01\n"), "yaml", limits)).toEqual({
      a: "1",
      b: "2026-01-01",
    });
  });

  it("refuses duplicate keys, deep nesting (flow and block) and broken YAML", async () => {
    const read = (text: string) => problemOf(() => readDocument(bytes(text), "yaml", limits));
    expect((await read("a: 1\na: 2\n")).code).toBe("duplicate_key");
    expect((await read(`${"[".repeat(10_000)}${"]".repeat(10_000)}\n`)).code).toBe("too_deep");
    expect((await read(`${"- ".repeat(10_000)}x\n`)).code).toBe("too_deep");
    const block = Array.from({ length: 40 }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n");
    expect((await read(`${block} end\n`)).code).toBe("too_deep");
    expect((await read("a: [1, 2\n")).code).toBe("invalid_yaml");
  });

  it("refuses a megabyte of brackets before the recursive parser sees it", async () => {
    for (const text of ["[".repeat(1_000_000), "- ".repeat(500_000), "{a: ".repeat(200_000)]) {
      expect((await problemOf(() => readDocument(bytes(text), "yaml", limits))).code).toBe("too_deep");
    }
  });

  it("does not count brackets inside block scalars, quotes, comments or plain text as nesting", async () => {
    const text = [
      "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
      "script: |",
      `  ${"[".repeat(200)}`,
      `  ${"{".repeat(200)}`,
      `quoted: "${"[".repeat(200)}"`,
      `single: '${"{".repeat(200)} it''s'`,
      `plain: a${"[".repeat(200)}`,
    ].join("\n");
    const value = (await readDocument(bytes(`${text}\n`), "yaml", limits)) as Record<string, string>;
    expect(value.plain).toBe(`a${"[".repeat(200)}`);
    expect(value.script).toBe(`${"[".repeat(200)}\n${"{".repeat(200)}\n`);
  });

  it("refuses __proto__ keys and leaves Object.prototype alone", async () => {
    const problem = await problemOf(() =>
      readDocument(bytes("a:\n  __proto__:\n    polluted: true\n"), "yaml", limits),
    );
    expect(problem).toMatchObject({ code: "forbidden_key", pointer: "/a/__proto__" });
    expect(polluted().polluted).toBeUndefined();
  });

  it("keeps merge keys off (<< is an ordinary key, then unknown_field for a runbook)", async () => {
    const text = "base: &b {title: T}\n<<: *b\n";
    expect(await readDocument(bytes(text), "yaml", limits)).toEqual({
      base: { title: "T" },
      "<<": { title: "T" },
    });
  });
});

describe("file-level problems", () => {
  it("turn into row-0 RowErrors for the reject manifest", async () => {
    const error = await readDocument(bytes('{"a":{"__proto__":1}}'), "json", limits).catch((e: unknown) => e);
    if (!isAppError(error)) throw new Error("expected an AppError");
    expect(rowErrorsOf(error)).toEqual([
      {
        row: 0,
        code: "forbidden_key",
        message: 'The key "__proto__" is not accepted anywhere in an import.',
      },
    ]);
    expect(error).toMatchObject({ status: 422, code: "unprocessable" });
    expect(error.extras.errors).toEqual([
      expect.objectContaining({ pointer: "/a/__proto__", in: "body", code: "forbidden_key" }),
    ]);
  });
});
