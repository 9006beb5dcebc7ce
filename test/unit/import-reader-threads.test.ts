/**
 * The Node import reader: files read in a worker thread give exactly the items an inline
 * read gives (sample files of every kind, whole or streamed in small pieces), file-level
 * problems arrive as the same problem, and a reading that stops early or fails stops its
 * thread.
 */
import { describe, expect, it } from "vitest";
import { isAppError } from "../../shared/errors/app-error";
import {
  type Piece,
  pieceReader,
  type ReadHelper,
  type ReadItem,
  type ReadRequest,
  readItems,
  readPieces,
} from "../../shared/imports/framework/plan/read-items";
import { resolveLimits } from "../../shared/imports/limits";
import type { ImportFormat, ImportKind } from "../../shared/imports/types";
import { createThreadReader } from "../../shared/platform/import-reader/host";
import { packItems, unpackItems } from "../../shared/platform/import-reader/protocol";
import { bytes, collect, fixture, sample, streamOf } from "../fixtures/imports/helpers";

const groupRoleMap = JSON.parse(new TextDecoder().decode(sample("identities/group-role-map.json")));

const reader = createThreadReader({ threads: 2, minBytes: 0 });

const request = (
  kind: ImportKind,
  format: ImportFormat,
  options: Record<string, unknown> = {},
): ReadRequest => ({
  kind,
  format,
  mapping: {},
  options,
  limits: resolveLimits(),
});

const flat = async (batches: AsyncIterable<ReadItem[]>) => (await collect(batches)).flat();
const withoutBoundaries = (items: ReadItem[]) => items.filter((item) => !("boundary" in item));

/**
 * Each boundary is where a record starts (just past a line end, or the file's start), and
 * the record read from there is the item of that row.
 */
function expectRecordStarts(file: Uint8Array, items: ReadItem[]) {
  const keys = new Map(items.flatMap((item) => ("key" in item ? [[item.row, item.key] as const] : [])));
  let checked = 0;
  for (const item of items) {
    if (!("boundary" in item)) continue;
    const { at, row } = item.boundary;
    if (at === 0 || at === file.byteLength) continue;
    expect(file[at - 1]).toBe(10);
    const key = keys.get(row);
    if (key === undefined) continue;
    const line = new TextDecoder().decode(file.subarray(at, at + 200));
    expect(line.startsWith(`${key},`)).toBe(true);
    checked += 1;
  }
  return checked;
}

/** The error a reading throws, as code, status and extras. */
async function failure(work: Promise<unknown>) {
  try {
    await work;
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { code: error.code, status: error.status, message: error.message, extras: error.extras };
  }
  throw new Error("expected the reading to fail");
}

const samples: [string, ReadRequest][] = [
  ["identities/okta-users.csv", request("identities", "csv")],
  ["identities/entra-users.csv", request("identities", "csv")],
  ["identities/scim-export.json", request("identities", "scim", { groupRoleMap })],
  ["runbooks/restart-checkout.yaml", request("runbooks", "yaml")],
  ["runbooks/runbooks.json", request("runbooks", "json")],
  ["incidents/pagerduty-export.csv", request("incidents", "csv")],
  // As a sliced plan reads it: boundaries between the items, no fields.
  ["incidents/pagerduty-export.csv", { ...request("incidents", "csv"), boundaries: true, fields: false }],
  ["graph/entities.json", request("graph", "json")],
  ["graph/edges.csv", request("graph", "csv")],
];

describe("a reader thread", () => {
  it.each(samples)(
    "reads %s exactly as an inline read does, whole or in 7-byte pieces",
    async (path, req) => {
      const file = sample(path);
      const inline = await flat(readItems(req, file));
      expect(inline.length).toBeGreaterThan(0);
      expect(await flat(reader.read(req, file, file.byteLength))).toEqual(inline);
      // Boundaries fall where the pieces do: the items are the same, each boundary a record's start.
      const streamed = await flat(reader.read(req, streamOf(file, 7), file.byteLength));
      expect(withoutBoundaries(streamed)).toEqual(withoutBoundaries(inline));
      expectRecordStarts(file, streamed);
    },
  );

  it("hands back row errors, warnings and in-file references in file order, over many batches", async () => {
    const rows = Array.from({ length: 3_000 }, (_, i) =>
      i % 1000 === 7
        ? `svc:x${i},service,,`
        : `svc:x${i},service,${i % 500 === 3 ? "=HYPERLINK()" : `Service ${i}`},`,
    );
    const file = bytes(`key,type,name,attributes\n${rows.join("\n")}\n`);
    const req = request("graph", "csv");
    const inline = await flat(readItems(req, file));
    expect(inline.filter((item) => "error" in item)).toHaveLength(3);
    expect(inline.filter((item) => "warnings" in item)).toHaveLength(6);
    expect(await flat(reader.read(req, streamOf(file, 4096), file.byteLength))).toEqual(inline);
  });

  it("hands back the boundaries between pieces, with the byte offsets an inline read gives", async () => {
    const rows = Array.from(
      { length: 4_000 },
      (_, i) => `Q${i},${i},"Tïtle 🚀 ${i}, ""q""\n2nd line",resolved,2026-10-03T14:02:11Z`,
    );
    const file = bytes(`\uFEFFid,number,title,status,created_on\r\n${rows.join("\r\n")}\r\n`);
    const req = { ...request("incidents", "csv"), boundaries: true };
    const inline = await flat(readItems(req, file));
    const boundaries = inline.flatMap((item) => ("boundary" in item ? [item.boundary] : []));
    expect(boundaries.length).toBeGreaterThan(5);
    expect(boundaries.at(-1)).toEqual({ at: file.byteLength, row: 4_001 });
    expect(expectRecordStarts(file, inline)).toBeGreaterThan(2);
    expect(await flat(reader.read(req, file, file.byteLength))).toEqual(inline);
    const streamed = await flat(reader.read(req, streamOf(file, 5_000), file.byteLength));
    expect(withoutBoundaries(streamed)).toEqual(withoutBoundaries(inline));
    expectRecordStarts(file, streamed);
  });

  it("gives the same items when every parsed piece is handed over and mapped elsewhere", async () => {
    const rows = Array.from(
      { length: 3_000 },
      (_, i) =>
        `Q${i},${i},"Tïtle ${i}\n🚀",${i % 9 === 0 ? "unknown" : "resolved"},${i % 7 === 0 ? "soon" : "2026-10-03T14:02:11Z"}`,
    );
    const file = bytes(`\uFEFFid,number,title,status,created_on\r\n${rows.join("\r\n")}\r\n\r\n`);
    const req = { ...request("incidents", "csv"), boundaries: true };
    const pieces: Piece[] = [];
    const helper: ReadHelper = { offer: (piece) => pieces.push(piece) - 1 };
    const handed = (await collect(readPieces(req, streamOf(file, 9_000), helper))).flat();
    expect(pieces.length).toBeGreaterThan(5);
    const mapped = handed.flatMap((item) =>
      "helped" in item
        ? pieceReader(req, (pieces[item.helped] as Piece).layout)(pieces[item.helped] as Piece)
        : [item],
    );
    const inline = await flat(readItems(req, streamOf(file, 9_000)));
    expect(mapped).toEqual(inline);
    expect(inline.filter((item) => "error" in item).length).toBeGreaterThan(500);
  });

  it("throws a file-level problem as the same problem, after the rows before it", async () => {
    const file = bytes(`id,title,status,created_on\nA,T,resolved,2026-10-03T14:02:11Z\nB,"open,resolved,x\n`);
    const req = request("incidents", "csv");
    const inline = await failure(flat(readItems(req, file)));
    expect(inline).toMatchObject({ code: "unprocessable", extras: { importCode: "unclosed_quote" } });
    expect(await failure(flat(reader.read(req, streamOf(file, 5), file.byteLength)))).toEqual(inline);
  });

  it("fails with the source's own error when the bytes fail midway, and stops", async () => {
    let sent = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 3) controller.error(new Error("the object store connection was reset"));
        else
          controller.enqueue(
            bytes(sent === 1 ? "id,title,status,created_on\n" : "A,T,resolved,2026-10-03T14:02:11Z\n"),
          );
      },
    });
    await expect(flat(reader.read(request("incidents", "csv"), source, 1e9))).rejects.toThrow(
      "the object store connection was reset",
    );
  });

  it("stops its thread when the planner stops early, and reads the next file", async () => {
    const file = sample("incidents/pagerduty-export.csv");
    const req = request("incidents", "csv");
    for await (const batch of reader.read(req, streamOf(file, 16), file.byteLength)) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    expect(await flat(reader.read(req, file, file.byteLength))).toEqual(await flat(readItems(req, file)));
  });

  it("reads inline when every thread is busy, or the file is small", async () => {
    const file = sample("incidents/pagerduty-export.csv");
    const req = request("incidents", "csv");
    const one = createThreadReader({ threads: 1, minBytes: 0 });
    const [a, b] = await Promise.all([flat(one.read(req, file, 1)), flat(one.read(req, file, 1))]);
    expect(b).toEqual(a);
    const inlineOnly = createThreadReader({ threads: 2, minBytes: file.byteLength + 1 });
    expect(await flat(inlineOnly.read(req, file, file.byteLength))).toEqual(await flat(readItems(req, file)));
  });

  it("starts a thread ahead of a large read, within its thread limit, and stops one left unused", async () => {
    const file = sample("incidents/pagerduty-export.csv");
    const req = request("incidents", "csv");
    const one = createThreadReader({ threads: 1, minBytes: 100, preparedForMs: 300 });
    one.prepare(99);
    expect(one.running).toBe(0);
    one.prepare(file.byteLength);
    one.prepare(file.byteLength);
    expect(one.running).toBe(1);
    const reading = flat(one.read(req, file, file.byteLength));
    // The prepared thread is taken: a second read finds the limit reached and reads inline.
    const inline = await flat(one.read(req, file, file.byteLength));
    expect(one.running).toBe(1);
    expect(await reading).toEqual(inline);
    expect(one.running).toBe(0);

    one.prepare(file.byteLength);
    expect(one.running).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(one.running).toBe(0);
    expect(await flat(one.read(req, file, file.byteLength))).toEqual(inline);
  });
  it("rejects hostile documents in the thread as inline: alias bombs and __proto__ keys", async () => {
    for (const [path, req] of [
      ["billion-laughs.yaml", request("runbooks", "yaml")],
      ["proto-pollution.json", request("runbooks", "json")],
    ] as const) {
      const file = fixture(path);
      const inline = await flat(readItems(req, file)).then(
        (items) => ({ items }),
        (error: unknown) => ({ error: String(error) }),
      );
      const threaded = await flat(reader.read(req, file, file.byteLength)).then(
        (items) => ({ items }),
        (error: unknown) => ({ error: String(error) }),
      );
      expect(threaded).toEqual(inline);
    }
  });
});

describe("packed batches", () => {
  it("carry every item and its rare parts across unchanged", () => {
    const items: ReadItem[] = [
      { row: 1, key: "a", entity: "entity", fields: '{"key":"a"}' },
      { error: { row: 2, column: "to", code: "unknown_entity", message: "m", hint: "h" } },
      {
        row: 3,
        key: "b",
        entity: "edge",
        fields: "{}",
        refs: [{ column: "from", kind: "graph", key: "entity:a" }],
        warnings: [{ column: "name", code: "formula_like", message: "w" }],
      },
      {
        row: 4,
        key: "c",
        entity: "operator",
        fields: "{}",
        problem: { code: "role_not_importable", message: "p" },
      },
    ];
    expect(unpackItems(structuredClone(packItems(items)))).toEqual(items);
  });

  it("send one entity for a kind with one, and no fields when none are carried", () => {
    const items: ReadItem[] = [
      { boundary: { at: 0, row: 0 } },
      { row: 1, key: "a", entity: "incident", fields: "" },
      { error: { row: 2, code: "invalid_timestamp", message: "m" } },
      { row: 3, key: "b", entity: "incident", fields: "" },
    ];
    const packed = packItems(items);
    expect(packed.entities).toBe("incident");
    expect(packed.fields).toBeNull();
    expect(unpackItems(structuredClone(packed))).toEqual(items);
  });
});
