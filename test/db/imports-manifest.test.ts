/**
 * The error manifest: an in-toto Statement signed as JWS that verifies with the published
 * JWKS (and fails when tampered with), and a formula-safe reject CSV which, fixed and sent
 * again, plans only those rows.
 */
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";
import { commitAndApply, plan, rowsOf } from "./imports-support";

let h: Harness;
let jwks: ReturnType<typeof createLocalJWKSet>;
beforeAll(async () => {
  h = await createHarness();
  jwks = createLocalJWKSet((await (await h.request("/.well-known/jwks.json")).json()) as JSONWebKeySet);
});
afterAll(() => h.close());

const file = [
  "email,displayName,title",
  "ana@acme.example,Ana,SRE",
  "not-an-email,=cmd(),Engineer",
  "bo@acme.example,Bo,@SUM(A1)",
  "carla@,+carla,-ops",
].join("\r\n");

describe("the signed error manifest", () => {
  it("verifies with the JWKS, names the source, lists the rejects; a tampered copy fails", async () => {
    const p = await plan(h, h.tenantA.apiKey, { kind: "identities", body: file });
    expect(p.counts).toMatchObject({ total: 4, create: 2, reject: 2 });
    const res = await h.request(`/v1/imports/plans/${p.id}/manifest`, { key: h.tenantA.apiKey });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/jose");
    const jws = await res.text();
    const { payload, protectedHeader } = await compactVerify(jws, jwks);
    expect(protectedHeader).toMatchObject({ alg: "EdDSA", typ: "in-toto+jws" });
    const statement = JSON.parse(new TextDecoder().decode(payload));
    expect(statement).toMatchObject({
      _type: "https://in-toto.io/Statement/v1",
      subject: [{ digest: { sha256: p.source.sha256 } }],
      predicateType: "https://switchboard.dev/attestations/import-rejects/v1",
      predicate: { planId: p.id, counts: { reject: 2 } },
    });
    expect(statement.predicate.rejects).toEqual([
      expect.objectContaining({ row: 2, field: "email", code: "invalid_email", decisionId: p.decisionId }),
      expect.objectContaining({ row: 4, field: "email", code: "invalid_email", decisionId: p.decisionId }),
    ]);

    const [header, body, signature] = jws.split(".");
    const forged = JSON.stringify({ ...statement, predicate: { ...statement.predicate, rejects: [] } });
    const tampered = `${header}.${Buffer.from(forged).toString("base64url")}.${signature}`;
    await expect(compactVerify(tampered, jwks)).rejects.toThrow(/signature verification failed/);
    expect(body).toBeTruthy();

    const imp = await commitAndApply(h, h.tenantA.apiKey, p.id);
    const viaImport = await h.request(`/v1/imports/${imp.id}/manifest?format=json`, {
      key: h.tenantA.apiKey,
    });
    expect(await viaImport.json()).toEqual({ jws, digest: p.manifestDigest });
  });

  it("as CSV: the source's columns plus reason, formulas neutralised; fixed and re-sent it plans only those rows", async () => {
    const p = await plan(h, h.tenantB.apiKey, { kind: "identities", body: file });
    const res = await h.request(`/v1/imports/plans/${p.id}/manifest?format=csv`, { key: h.tenantB.apiKey });
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const csv = await res.text();
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("email,displayName,title,reason");
    expect(lines[1]).toMatch(/^not-an-email,"'=cmd\(\)",Engineer,"?row 2 email: invalid_email: /);
    expect(lines[2]).toMatch(/^carla@,"'\+carla","'-ops","?row 4 email: invalid_email: /);
    expect(lines).toHaveLength(3);

    const fixed = csv.replace("not-an-email", "dev@acme.example").replace("carla@,", "carla@acme.example,");
    const again = await plan(h, h.tenantB.apiKey, { kind: "identities", body: fixed });
    expect(again.counts).toMatchObject({ total: 2, create: 2, reject: 0 });
    expect(rowsOf(again, "create").map((r) => [r.key, r.fields?.displayName])).toEqual([
      ["dev@acme.example", "'=cmd()"],
      ["carla@acme.example", "'+carla"],
    ]);
  });
});
