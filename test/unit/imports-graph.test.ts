import { describe, expect, it } from "vitest";
import { graphImporter } from "../../shared/imports/importers";
import type { GraphFields } from "../../shared/imports/importers/graph";
import { checkInFile, referencedKeys } from "../../shared/imports/read/in-file-check";
import { importerOf, importKinds, stateOf } from "../../shared/imports/registry";
import { type ImportFormat, importFormats, type ReadResult } from "../../shared/imports/types";
import { bytes, collect, problemOf, sample, split } from "../fixtures/imports/helpers";

const read = (input: Uint8Array, format: ImportFormat) =>
  collect(graphImporter.read({ bytes: input, format }));
async function* concat<T>(...parts: AsyncIterable<T>[]): AsyncGenerator<T> {
  for (const part of parts) yield* part;
}
const entities = () => graphImporter.read({ bytes: sample("graph/entities.json"), format: "json" });
const edges = (input = sample("graph/edges.csv")) => graphImporter.read({ bytes: input, format: "csv" });

describe("graph: partner samples", () => {
  it("reads the entities JSON", async () => {
    const { records, errors } = split(await read(sample("graph/entities.json"), "json"));
    expect(errors).toEqual([]);
    expect(records.map((r) => [r.row, r.key, r.entity])).toEqual([
      [1, "entity:svc:checkout-api", "entity"],
      [2, "entity:svc:orders-worker", "entity"],
      [3, "entity:db:orders", "entity"],
      [4, "entity:team:platform", "entity"],
      [5, "entity:host:ip-10-0-3-17", "entity"],
    ]);
    expect(records[0]?.fields).toEqual({
      key: "svc:checkout-api",
      type: "service",
      name: "Checkout API",
      attributes: { tier: 1, owner: "platform" },
    });
    expect(records[3]?.fields).toMatchObject({ attributes: {} });
  });

  it("reads the edges CSV with references to both ends", async () => {
    const { records, errors } = split(await read(sample("graph/edges.csv"), "csv"));
    expect(errors).toEqual([]);
    expect(records.map((r) => r.key)).toEqual([
      "edge:svc:checkout-api|depends_on|db:orders",
      "edge:svc:orders-worker|depends_on|db:orders",
      "edge:team:platform|owns|svc:checkout-api",
      "edge:team:platform|owns|svc:orders-worker",
      "edge:svc:checkout-api|runs_on|host:ip-10-0-3-17",
    ]);
    expect(records[0]?.refs).toEqual([
      { column: "from", kind: "graph", key: "entity:svc:checkout-api" },
      { column: "to", kind: "graph", key: "entity:db:orders" },
    ]);
  });

  it("passes entities + edges as one import set through checkInFile with no rejects", async () => {
    const results = await collect(checkInFile(concat(entities(), edges()), { kind: "graph" }));
    expect(split(results).errors).toEqual([]);
    expect(results).toHaveLength(10);
  });

  it("asks knownKeys about entities outside the file, once, and accepts what exists", async () => {
    const asked: string[][] = [];
    const known = [
      "entity:svc:checkout-api",
      "entity:svc:orders-worker",
      "entity:db:orders",
      "entity:team:platform",
      "entity:host:ip-10-0-3-17",
    ];
    const results = await collect(
      checkInFile(edges(), {
        kind: "graph",
        knownKeys: (kind, keys) => {
          asked.push(keys);
          expect(kind).toBe("graph");
          return known.filter((k) => keys.includes(k));
        },
      }),
    );
    expect(split(results).errors).toEqual([]);
    expect(asked).toHaveLength(1);
    expect(asked[0]?.sort()).toEqual([...known].sort());
  });
});

describe("graph: rejects", () => {
  it("rejects an edge to an entity missing from the import set with unknown_entity, its row and column", async () => {
    const extra = bytes(
      "from,to,type\nsvc:checkout-api,db:orders,depends_on\nsvc:checkout-api,cache:redis,depends_on\n",
    );
    const results = await collect(checkInFile(concat(entities(), edges(extra)), { kind: "graph" }));
    const { records, errors } = split(results);
    expect(records).toHaveLength(6);
    expect(errors).toEqual([expect.objectContaining({ row: 2, column: "to", code: "unknown_entity" })]);
    expect(errors[0]?.message).toContain("entity:cache:redis");
  });

  it("resolves forward references inside one JSON document, and marks repeated keys duplicate_key", async () => {
    const doc = [
      { from: "svc:a", to: "svc:b", type: "calls" },
      { key: "svc:a", type: "service", name: "A" },
      { key: "svc:b", type: "service", name: "B" },
      { key: "svc:a", type: "service", name: "A again" },
    ];
    const results = await collect(
      checkInFile(graphImporter.read({ bytes: bytes(JSON.stringify(doc)), format: "json" }), {
        kind: "graph",
      }),
    );
    const { records, errors } = split(results);
    expect(records.map((r) => r.key).sort()).toEqual([
      "edge:svc:a|calls|svc:b",
      "entity:svc:a",
      "entity:svc:b",
    ]);
    expect(errors).toEqual([expect.objectContaining({ row: 4, code: "duplicate_key" })]);
    expect(errors[0]?.message).toContain("row 2");
  });

  it("rejects bad keys, self edges and bad attribute JSON in CSV", async () => {
    const csv = bytes(
      'key,type,name,attributes\nsvc:ok,service,OK,"{""tier"": 1}"\nNo Prefix,service,X,\nsvc:x,service,X,"{""a"":"\nsvc:y,service,,\n',
    );
    const { records, errors } = split(await read(csv, "csv"));
    expect(records[0]?.fields).toEqual({
      key: "svc:ok",
      type: "service",
      name: "OK",
      attributes: { tier: 1 },
    });
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, "key", "invalid_value"],
      [3, "attributes", "invalid_json"],
      [4, "name", "missing_value"],
    ]);
    const self = split(await read(bytes("from,to,type\nsvc:a,svc:a,calls\n"), "csv")).errors;
    expect(self).toEqual([expect.objectContaining({ row: 1, column: "to", code: "self_edge" })]);
  });

  it("refuses __proto__ in attributes (file in JSON, row in CSV) without polluting", async () => {
    const json =
      '{"entities":[{"key":"svc:a","type":"service","name":"A","attributes":{"__proto__":{"polluted":1}}}]}';
    expect(await problemOf(() => read(bytes(json), "json"))).toMatchObject({
      code: "forbidden_key",
      pointer: "/entities/0/attributes/__proto__",
    });
    const csv = bytes('key,type,name,attributes\nsvc:a,service,A,"{""__proto__"": {""polluted"": 1}}"\n');
    expect(split(await read(csv, "csv")).errors).toEqual([
      expect.objectContaining({ row: 1, code: "forbidden_key" }),
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a document of the wrong shape", async () => {
    expect((await problemOf(() => read(bytes('{"nodes": []}'), "json"))).code).toBe("invalid_document");
    expect((await problemOf(() => read(bytes('{"entities": []}'), "json"))).code).toBe("empty_file");
  });
});

describe("importer registry", () => {
  it("has one importer per kind, each declaring its formats and a version", () => {
    expect(importKinds().sort()).toEqual(["graph", "identities", "incidents", "runbooks"]);
    for (const kind of importKinds()) {
      const importer = importerOf(kind);
      expect(importer.kind).toBe(kind);
      expect(stateOf(kind).kind).toBe(kind);
      expect(importer.version).toMatch(/\S/);
      expect(importer.formats.every((f) => (importFormats as readonly string[]).includes(f))).toBe(true);
    }
  });

  it("collects every referenced key per kind", async () => {
    const { records } = split((await collect(edges())) as ReadResult<GraphFields>[]);
    expect(referencedKeys(records).get("graph")?.size).toBe(5);
  });
});
