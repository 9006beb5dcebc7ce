import { sql } from "drizzle-orm";
import { compactVerify, createLocalJWKSet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCron } from "../../functions/jobs/cron";
import type { TenantCtx } from "../../shared/context/context";
import { fixedClock } from "../../shared/platform/clock";
import { appendReceipt } from "../../shared/receipts/append";
import { fromHex } from "../../shared/receipts/hashing";
import { verifyConsistency, verifyInclusion } from "../../shared/receipts/merkle-verify";
import { receiptDigest } from "../../shared/receipts/receipt-digest";
import { createHarness, type Harness, type SeededTenant } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
}, 60_000);
afterAll(() => h.close());

const clock = fixedClock("2030-01-01T00:00:00.000Z");
function ctxFor(tenant: SeededTenant, actorId = "key_apitest"): TenantCtx {
  return {
    ...h.ctx(),
    clock,
    tenant: { id: tenant.id, slug: tenant.slug, name: `${tenant.slug} Inc.` },
    actor: { type: "api_key", id: actorId, role: "admin" },
  };
}
async function append(tenant: SeededTenant, kind: string, subject: string, actorId?: string) {
  clock.advance(60_000);
  return (
    await appendReceipt({
      ctx: ctxFor(tenant, actorId),
      input: { kind, subject, details: { note: subject } },
    })
  ).receipt;
}
const get = async <T>(path: string, key: string) => {
  const res = await h.request(path, { key });
  return { status: res.status, body: (await res.json()) as T };
};

interface Proved {
  receipt: { id: string; seq: number; digest: string; leafHash: string } & Parameters<
    typeof receiptDigest
  >[0];
  inclusion: { leafIndex: number; treeSize: number; rootHash: string; leafHash: string; path: string[] };
  checkpoint: { treeSize: number; rootHash: string; jws: string } | null;
}
const proves = (p: Proved) =>
  verifyInclusion({
    leafIndex: p.inclusion.leafIndex,
    treeSize: p.inclusion.treeSize,
    leafHash: fromHex(p.inclusion.leafHash),
    proof: p.inclusion.path.map(fromHex),
    root: fromHex(p.inclusion.rootHash),
  }).ok;

describe("GET /v1/receipts/{id}", () => {
  it("returns the receipt with a proof against the head, then against a signed checkpoint once issued", async () => {
    const viewer = await h.tenantA.keyFor("viewer");
    const receipts = [];
    for (let i = 0; i < 5; i++) receipts.push(await append(h.tenantA, "runbook.imported", `runbook:${i}`));
    const target = receipts[2];
    const before = await get<Proved>(`/v1/receipts/${target?.id}`, viewer);
    expect(before.status).toBe(200);
    expect(before.body.checkpoint).toBeNull();
    expect(before.body.receipt.digest).toBe(receiptDigest(before.body.receipt));
    expect(proves(before.body)).toBe(true);

    const issued = await h.request("/v1/checkpoints", { method: "POST", key: h.tenantA.apiKey });
    expect(issued.status).toBe(201);
    const after = await get<Proved>(`/v1/receipts/${target?.id}`, viewer);
    expect(after.body.checkpoint?.rootHash).toBe(after.body.inclusion.rootHash);
    expect(proves(after.body)).toBe(true);
    const jwks = createLocalJWKSet((await (await h.request("/.well-known/jwks.json")).json()) as never);
    const signed = JSON.parse(
      new TextDecoder().decode((await compactVerify(after.body.checkpoint?.jws ?? "", jwks)).payload),
    );
    expect(signed).toMatchObject({
      tenant: h.tenantA.id,
      treeSize: after.body.inclusion.treeSize,
      rootHash: after.body.inclusion.rootHash,
    });
  });

  it("another tenant's receipt id answers 404, as does an unknown one", async () => {
    const receipt = await append(h.tenantA, "secret.thing", "thing:1");
    const res = await get<{ code: string; detail: string }>(`/v1/receipts/${receipt.id}`, h.tenantB.apiKey);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("not_found");
    expect(res.body.detail).not.toContain(h.tenantA.id);
    expect((await get(`/v1/receipts/rcpt_${"0".repeat(64)}`, h.tenantA.apiKey)).status).toBe(404);
    expect((await h.request(`/v1/receipts/${receipt.id}`)).status).toBe(401);
  });
});

describe("GET /v1/timeline", () => {
  type Page = {
    items: { id: string; seq: number; kind: string; actor: string; subject: string; occurredAt: string }[];
    nextCursor: string | null;
  };

  it("filters by kind, actor, subject and time, newest first, and pages without gaps or repeats", async () => {
    const start = new Date(clock.now().getTime() + 60_000).toISOString();
    for (let i = 0; i < 6; i++)
      await append(
        h.tenantB,
        i % 2 ? "flag.ramped" : "issue.opened",
        `item:${i}`,
        i < 3 ? "key_one" : "key_two",
      );
    const end = clock.now().toISOString(); // exclusive: the last one is out
    const key = h.tenantB.apiKey;

    const ramped = await get<Page>("/v1/timeline?kind=flag.ramped", key);
    expect(ramped.body.items.map((r) => r.subject)).toEqual(["item:5", "item:3", "item:1"]);
    const byActor = await get<Page>("/v1/timeline?actor=api_key:key_one", key);
    expect(byActor.body.items.map((r) => r.subject)).toEqual(["item:2", "item:1", "item:0"]);
    expect((await get<Page>("/v1/timeline?subject=item:4", key)).body.items).toHaveLength(1);
    const ranged = await get<Page>(`/v1/timeline?from=${start}&to=${end}`, key);
    expect(ranged.body.items.map((r) => r.subject)).toEqual([
      "item:4",
      "item:3",
      "item:2",
      "item:1",
      "item:0",
    ]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Page } = await get<Page>(
        `/v1/timeline?limit=4${cursor ? `&cursor=${cursor}` : ""}`,
        key,
      );
      expect(page.body.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.body.items.map((r) => r.subject));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["item:5", "item:4", "item:3", "item:2", "item:1", "item:0"]);
  });

  it("never shows another tenant's receipts and rejects a forged cursor", async () => {
    const page = await get<Page>("/v1/timeline?limit=200", h.tenantB.apiKey);
    expect(page.body.items.every((r) => !r.subject.startsWith("runbook:"))).toBe(true);
    expect((await get("/v1/timeline?cursor=bm90LWEtY3Vyc29y", h.tenantB.apiKey)).status).toBe(400);
    expect((await get("/v1/timeline?from=yesterday", h.tenantB.apiKey)).status).toBe(400);
  });
});

describe("checkpoints", () => {
  type Checkpoint = { treeSize: number; rootHash: string; jws: string };

  it("issues on demand for admins only, idempotently per tree size; 409 on an empty log", async () => {
    const viewer = await h.tenantB.keyFor("viewer");
    expect((await h.request("/v1/checkpoints", { method: "POST", key: viewer })).status).toBe(403);
    await append(h.tenantB, "x.done", "x:1");
    const first = await h.request("/v1/checkpoints", { method: "POST", key: h.tenantB.apiKey });
    const again = await h.request("/v1/checkpoints", { method: "POST", key: h.tenantB.apiKey });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(await again.json()).toEqual(await first.json());
    const { createTenantWithAdminKey } = await import("../../shared/tenants/seed");
    const empty = await createTenantWithAdminKey({ ctx: h.ctx(), input: { slug: "empty-log", name: "E" } });
    expect((await h.request("/v1/checkpoints", { method: "POST", key: empty.apiKey })).status).toBe(409);
    expect((await get("/v1/checkpoints/latest", empty.apiKey)).status).toBe(404);
  });

  it("lists largest first, serves the latest, and proves consistency between two", async () => {
    const key = h.tenantA.apiKey;
    await append(h.tenantA, "a", "a:1");
    const small = (await (await h.request("/v1/checkpoints", { method: "POST", key })).json()) as Checkpoint;
    for (let i = 0; i < 7; i++) await append(h.tenantA, "a", `a:more:${i}`);
    const large = (await (await h.request("/v1/checkpoints", { method: "POST", key })).json()) as Checkpoint;
    const list = await get<{ items: Checkpoint[] }>("/v1/checkpoints?limit=2", key);
    expect(list.body.items.map((c) => c.treeSize)).toEqual([large.treeSize, small.treeSize]);
    expect((await get<Checkpoint>("/v1/checkpoints/latest", key)).body).toEqual(large);

    const proof = await get<{ from: Checkpoint; to: Checkpoint; proof: string[] }>(
      `/v1/checkpoints/consistency?from=${small.treeSize}&to=${large.treeSize}`,
      await h.tenantA.keyFor("viewer"),
    );
    expect(proof.status).toBe(200);
    const check = verifyConsistency({
      size1: small.treeSize,
      size2: large.treeSize,
      root1: fromHex(small.rootHash),
      root2: fromHex(large.rootHash),
      proof: proof.body.proof.map(fromHex),
    });
    expect(check).toEqual({ ok: true });
    expect(
      (await get(`/v1/checkpoints/consistency?from=${small.treeSize + 1}&to=${large.treeSize}`, key)).status,
    ).toBe(404);
    expect(
      (await get(`/v1/checkpoints/consistency?from=${large.treeSize}&to=${small.treeSize}`, key)).status,
    ).toBe(400);
    expect(
      (await get(`/v1/checkpoints/consistency?from=${small.treeSize}&to=${large.treeSize}`, h.tenantB.apiKey))
        .status,
    ).toBe(404);
  });

  it("the scheduled task signs each grown log once, and nothing when nothing grew", async () => {
    await append(h.tenantA, "a", "a:cron");
    await append(h.tenantB, "b", "b:cron");
    const first = await runCron(h.platform, "*/5 * * * *");
    expect(first.checkpoints).toMatchObject({ ok: true, result: { issued: 2, failed: [] } });
    const second = await runCron(h.platform, "*/5 * * * *");
    expect(second.checkpoints).toMatchObject({ ok: true, result: { tenants: 0, issued: 0 } });
  });
});

describe("GET /v1/receipts/verification", () => {
  it("reports ok, then the first bad seq once a row is altered in the database", async () => {
    const viewer = await h.tenantB.keyFor("viewer");
    const ok = await get<{ ok: boolean; size: number }>("/v1/receipts/verification", viewer);
    expect(ok.body).toMatchObject({ ok: true });
    const victim = await append(h.tenantB, "to.tamper", "victim:1");
    await append(h.tenantB, "after", "after:1");
    await h.database
      .connect()
      .db.execute(
        sql`update receipts set details = '{"note":"forged"}' where tenant_id = ${h.tenantB.id} and id = ${victim.id}`,
      );
    const bad = await get<{ ok: boolean; firstBadSeq: number; problem: string }>(
      "/v1/receipts/verification",
      viewer,
    );
    expect(bad.body).toMatchObject({ ok: false, firstBadSeq: victim.seq, problem: "digest_mismatch" });
    expect((await get<{ ok: boolean }>("/v1/receipts/verification", h.tenantA.apiKey)).body.ok).toBe(true);
  });
});
