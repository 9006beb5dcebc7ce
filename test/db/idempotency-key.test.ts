/**
 * Idempotency-Key (IETF httpapi draft) on the import routes: replay, 422 for another body,
 * 409 while in flight, 400 for a bad key, per tenant, expiring after 24 hours.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idempotencyKeys, importPlans } from "../../shared/db/schema";
import { beginIdempotent, requestFingerprint } from "../../shared/idempotency/idempotency";
import { createHarness, type Harness } from "../support/harness";
import { type ImportBody, incidentsCsv, plan, planRequest } from "./imports-support";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const withKey = (key: string) => ({ "idempotency-key": key });
const file = incidentsCsv(3, { start: 900 });

describe("Idempotency-Key", () => {
  it("replays the first response for the same request, marked idempotent-replayed", async () => {
    const input = { kind: "incidents", body: file, headers: withKey('"plan-1"') };
    const first = await planRequest(h, h.tenantA.apiKey, input);
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const again = await planRequest(h, h.tenantA.apiKey, input);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect(await again.json()).toEqual(await first.json());
  });

  it("answers 422 when the key comes back with another body", async () => {
    await planRequest(h, h.tenantA.apiKey, { kind: "incidents", body: file, headers: withKey("plan-2") });
    const other = await planRequest(h, h.tenantA.apiKey, {
      kind: "incidents",
      body: incidentsCsv(3, { start: 950 }),
      headers: withKey("plan-2"),
    });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({
      code: "unprocessable",
      idempotencyCode: "idempotency_key_reused",
    });
  });

  it("answers 409 while the first request is still in flight", async () => {
    const body = new TextEncoder().encode(file);
    const fingerprint = requestFingerprint("POST", "/v1/imports?kind=incidents", body);
    const ctx = { ...h.ctx(), tenant: { id: h.tenantA.id, slug: "acme", name: "acme" } };
    expect(await beginIdempotent({ ctx, input: { key: "plan-3", fingerprint } })).toEqual({
      kind: "proceed",
    });
    const res = await planRequest(h, h.tenantA.apiKey, {
      kind: "incidents",
      body: file,
      headers: withKey("plan-3"),
    });
    expect(res.status).toBe(409);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(await res.json()).toMatchObject({ idempotencyCode: "idempotency_key_in_flight" });
  });

  it("refuses malformed and overlong keys with 400", async () => {
    for (const key of ["", "has space", "é", '"unterminated', "x".repeat(256)]) {
      const res = await planRequest(h, h.tenantA.apiKey, {
        kind: "incidents",
        body: file,
        headers: withKey(key),
      });
      expect(res.status, JSON.stringify(key)).toBe(400);
    }
  });

  it("keeps keys per tenant, and a key expires after 24 hours", async () => {
    const input = {
      kind: "incidents",
      body: incidentsCsv(3, { start: 970 }),
      headers: withKey("shared-key"),
    };
    expect((await planRequest(h, h.tenantA.apiKey, input)).status).toBe(201);
    const inB = await planRequest(h, h.tenantB.apiKey, input);
    expect(inB.status).toBe(201);
    expect(inB.headers.get("idempotent-replayed")).toBeNull();
    await h
      .ctx()
      .db.update(idempotencyKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(and(eq(idempotencyKeys.tenantId, h.tenantA.id), eq(idempotencyKeys.key, "shared-key")));
    const later = await planRequest(h, h.tenantA.apiKey, input);
    expect(later.status).toBe(200); // the plan exists (content-addressed), the key ran again
    expect(later.headers.get("idempotent-replayed")).toBeNull();
  });

  it("on commit: a retried commit replays the 202", async () => {
    const p = await plan(h, h.tenantA.apiKey, { kind: "incidents", body: incidentsCsv(2, { start: 990 }) });
    const send = () =>
      h.request(`/v1/imports/plans/${p.id}/commit`, {
        key: h.tenantA.apiKey,
        method: "POST",
        headers: withKey("commit-1"),
      });
    const first = await send();
    expect(first.status).toBe(202);
    const again = await send();
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(((await again.json()) as ImportBody).id).toBe(((await first.json()) as ImportBody).id);
    const plans = await h.ctx().db.select().from(importPlans).where(eq(importPlans.id, p.id));
    expect(plans).toHaveLength(1);
    await h.platform.queue.drain();
  });
});
