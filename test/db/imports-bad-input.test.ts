/**
 * Hostile and broken files: each gets a clear problem (file level: no plan at all) or reject
 * rows (row level: the rest plans, the rejects are never applied), never a crash.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPlans, incidents, operators, runbooks } from "../../shared/db/schema";
import { createHarness, type Harness } from "../support/harness";
import {
  commitAndApply,
  incidentsCsv,
  mediaTypes,
  plan,
  planRequest,
  problemOf,
  rowsOf,
} from "./imports-support";

let h: Harness;
const bodyLimit = 256 * 1024;
beforeAll(async () => {
  h = await createHarness({ MAX_BODY_BYTES: String(bodyLimit) });
});
afterAll(() => h.close());

const fixture = (name: string) => new Uint8Array(readFileSync(join("test", "fixtures", "imports", name)));
const latin1 = new Uint8Array([
  ...new TextEncoder().encode("email,displayName\nrene@acme.example,Ren"),
  0xe9,
  0x0a,
]);
const deepJson = `${"[".repeat(40)}${"]".repeat(40)}`;

const fileProblems: [string, Parameters<typeof planRequest>[2], number, string][] = [
  [
    "an unclosed quote",
    { kind: "identities", body: 'email,displayName\na@acme.example,"Ana\n' },
    422,
    "unclosed_quote",
  ],
  [
    "an unknown header",
    { kind: "identities", body: "email,shoe size\na@acme.example,42\n" },
    422,
    "unknown_column",
  ],
  [
    "a duplicate header",
    { kind: "identities", body: "email,email\na@acme.example,b@acme.example\n" },
    422,
    "duplicate_column",
  ],
  ["an empty file", { kind: "identities", body: "" }, 422, "empty_file"],
  ["a header without rows", { kind: "incidents", body: "id,title,status,created_on\n" }, 422, "empty_file"],
  ["Latin-1 bytes", { kind: "identities", body: latin1 }, 422, "invalid_encoding"],
  [
    "a YAML alias bomb",
    { kind: "runbooks", body: fixture("billion-laughs.yaml"), contentType: mediaTypes.yaml },
    422,
    "too_many_aliases",
  ],
  [
    "a YAML custom tag",
    { kind: "runbooks", body: fixture("js-function.yaml"), contentType: mediaTypes.yaml },
    422,
    "",
  ],
  [
    "JSON nested too deep",
    { kind: "runbooks", body: deepJson, contentType: mediaTypes.json },
    422,
    "too_deep",
  ],
  [
    "a __proto__ key",
    { kind: "runbooks", body: fixture("proto-pollution.json"), contentType: mediaTypes.json },
    422,
    "forbidden_key",
  ],
  [
    "a __proto__ column",
    { kind: "identities", body: "email,__proto__\na@acme.example,x\n" },
    422,
    "forbidden_key",
  ],
  [
    "a format the importer does not read",
    { kind: "incidents", body: "[]", contentType: mediaTypes.json },
    415,
    "",
  ],
  [
    "a media type no importer reads",
    { kind: "incidents", body: "x", contentType: "application/pdf" },
    415,
    "",
  ],
];

async function stateCounts() {
  const db = h.ctx().db;
  const count = async (table: typeof operators | typeof runbooks | typeof incidents | typeof importPlans) =>
    (await db.select().from(table).where(eq(table.tenantId, h.tenantA.id))).length;
  return [await count(operators), await count(runbooks), await count(incidents), await count(importPlans)];
}

describe("file-level problems: a clear problem, no plan, nothing applied", () => {
  for (const [name, input, status, code] of fileProblems) {
    it(name, async () => {
      const before = await stateCounts();
      const res = await planRequest(h, h.tenantA.apiKey, input);
      const problem = await problemOf(res);
      expect(res.status, JSON.stringify(problem)).toBe(status);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      if (code) expect(problem.importCode).toBe(code);
      expect(problem.detail).toBeTruthy();
      expect(await stateCounts()).toEqual(before);
    });
  }

  it("a file over the inline limit is 413 before it is read", async () => {
    const res = await planRequest(h, h.tenantA.apiKey, { kind: "incidents", body: incidentsCsv(6000) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: "payload_too_large", limit: bodyLimit });
  });

  it("bad mapping and options are 400/422 problems", async () => {
    const badJson = await planRequest(h, h.tenantA.apiKey, {
      kind: "identities",
      body: "email\na@b.example\n",
      options: "{nope",
    });
    expect(badJson.status).toBe(400);
    const proto = await planRequest(h, h.tenantA.apiKey, {
      kind: "identities",
      body: "email\na@b.example\n",
      options: '{"__proto__":{"admin":true}}',
    });
    expect(proto.status).toBe(400);
    const notAField = await planRequest(h, h.tenantA.apiKey, {
      kind: "identities",
      body: "email\na@b.example\n",
      mapping: { email: "shoe" },
    });
    expect(notAField.status).toBe(422);
    expect((await problemOf(notAField)).importCode).toBe("invalid_mapping");
  });
});

describe("row-level problems: reject rows, the rest plans, rejects never applied", () => {
  it("ragged rows, duplicate keys, bad values and formulas", async () => {
    const file = [
      "email,displayName,title",
      "ana@acme.example,Ana,SRE",
      "bo@acme.example,Bo",
      "ana@acme.example,Ana again,SRE",
      'carla@acme.example,=HYPERLINK("http://x"),@lead',
      "not-an-email,Dev,Ops",
    ].join("\n");
    const p = await plan(h, h.tenantA.apiKey, { kind: "identities", body: file });
    expect(p.counts).toMatchObject({ total: 5, create: 2, reject: 3 });
    expect(rowsOf(p, "reject").map((r) => [r.row, r.error?.code])).toEqual([
      [2, "ragged_row"],
      [3, "duplicate_key"],
      [5, "invalid_email"],
    ]);
    const carla = rowsOf(p, "create").find((r) => r.key === "carla@acme.example");
    expect(carla?.fields?.displayName).toBe('=HYPERLINK("http://x")');
    expect((carla as { warnings?: { code: string }[] }).warnings?.[0]?.code).toBe("formula_like");
    await commitAndApply(h, h.tenantA.apiKey, p.id);
    const people = await h.ctx().db.select().from(operators).where(eq(operators.tenantId, h.tenantA.id));
    expect(people.map((o) => o.email).sort()).toEqual(["ana@acme.example", "carla@acme.example"]);
    expect(people.find((o) => o.email === "ana@acme.example")?.displayName).toBe("Ana");
  });

  it("an edge to an entity in neither the file nor the tenant is rejected with its row", async () => {
    const entities = { entities: [{ key: "svc:api", type: "service", name: "API" }] };
    const first = await plan(h, h.tenantA.apiKey, {
      kind: "graph",
      body: JSON.stringify(entities),
      contentType: mediaTypes.json,
    });
    await commitAndApply(h, h.tenantA.apiKey, first.id);
    const edges = "from,to,type\nsvc:api,db:main,depends_on\nsvc:web,svc:api,calls\n";
    const withEntity = `{"entities":[{"key":"db:main","type":"database","name":"Main"}],"edges":[{"from":"svc:api","to":"db:main","type":"depends_on"},{"from":"svc:web","to":"svc:api","type":"calls"}]}`;
    const csv = await plan(h, h.tenantA.apiKey, { kind: "graph", body: edges });
    expect(rowsOf(csv, "reject").map((r) => [r.row, r.error?.code, r.error?.column])).toEqual([
      [1, "unknown_entity", "to"],
      [2, "unknown_entity", "from"],
    ]);
    const set = await plan(h, h.tenantA.apiKey, {
      kind: "graph",
      body: withEntity,
      contentType: mediaTypes.json,
    });
    expect(set.counts).toMatchObject({ create: 2, reject: 1 });
    expect(rowsOf(set, "reject")[0]).toMatchObject({
      row: 3,
      error: { code: "unknown_entity", column: "/from" },
    });
  });
});
