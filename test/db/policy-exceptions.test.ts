/** Governed exceptions: an admin lets one principal do one denied thing, with a rationale, until it expires. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantCtx } from "../../shared/context/context";
import { type Role, receipts } from "../../shared/db/schema";
import { authorize } from "../../shared/policy/authorize";
import { uidText } from "../../shared/policy/model";
import { authenticateApiKey } from "../../shared/tenants/api-keys";
import { createHarness, type Harness, type SeededTenant } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const hour = 3_600_000;

async function actingAs(
  tenant: SeededTenant,
  role: Role,
): Promise<{ ctx: TenantCtx; uid: string; secret: string }> {
  const secret = role === "admin" ? tenant.apiKey : await tenant.keyFor(role);
  const { tenant: ref, actor } = await authenticateApiKey({ ctx: h.ctx(), secret });
  return { ctx: { ...h.ctx(), tenant: ref, actor }, uid: uidText("ApiKey", actor.id), secret };
}

/** The same actor, seeing the world at `at` (a fixed clock). */
const at = (ctx: TenantCtx, when: Date): TenantCtx => ({ ...ctx, clock: { now: () => when } });

function post(key: string, body: Record<string, unknown>) {
  return h.request("/v1/policy-exceptions", {
    method: "POST",
    key,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

const rationale = "Incident INC-42: the on-call viewer must restart checkout until the rota is fixed.";

describe("policy exceptions", () => {
  it("turn one specific deny into an allow that names them, until they expire", async () => {
    const viewer = await actingAs(h.tenantA, "viewer");
    const target = { type: "Command" as const, id: "cmd_restart_checkout", tenantId: h.tenantA.id };
    const runIt = (ctx: TenantCtx, id = target.id) =>
      authorize({ ctx, input: { action: "runCommand", resource: { ...target, id } } });
    expect((await runIt(viewer.ctx)).decision).toBe("deny");

    const expiresAt = new Date(Date.now() + 2 * hour);
    const res = await post(h.tenantA.apiKey, {
      principal: viewer.uid,
      action: "runCommand",
      resource: uidText("Command", target.id),
      rationale,
      expiresAt: expiresAt.toISOString(),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; receiptId: string; status: string };
    expect(created).toMatchObject({ principal: viewer.uid, status: "active" });
    expect(res.headers.get("location")).toBe(`/v1/policy-exceptions/${created.id}`);
    const [receipt] = await h.ctx().db.select().from(receipts).where(eq(receipts.id, created.receiptId));
    expect(receipt).toMatchObject({
      kind: "policy.exception.recorded",
      subject: `policy-exception:${created.id}`,
    });

    const allowed = await runIt(viewer.ctx);
    expect(allowed).toMatchObject({ decision: "allow", exceptionId: created.id, determiningPolicies: [] });
    // Only that command, only that principal, only that action.
    expect((await runIt(viewer.ctx, "cmd_other")).decision).toBe("deny");
    const otherViewer = await actingAs(h.tenantA, "viewer");
    expect((await runIt(otherViewer.ctx)).decision).toBe("deny");
    const launch = await authorize({
      ctx: viewer.ctx,
      input: { action: "launchRunbook", resource: { type: "Runbook", id: "rb_1", tenantId: h.tenantA.id } },
    });
    expect(launch.decision).toBe("deny");
    // A minute before expiry it still applies; a minute after, the deny is back.
    expect((await runIt(at(viewer.ctx, new Date(expiresAt.getTime() - 60_000)))).exceptionId).toBe(
      created.id,
    );
    expect(await runIt(at(viewer.ctx, new Date(expiresAt.getTime() + 60_000)))).toMatchObject({
      decision: "deny",
      exceptionId: null,
      remediation: "needs role operator",
    });
  });

  it("without a resource cover every resource of the action; revoking ends them at once, with a receipt", async () => {
    const approver = await actingAs(h.tenantA, "approver");
    const launch = (id: string) =>
      authorize({
        ctx: approver.ctx,
        input: { action: "launchRunbook", resource: { type: "Runbook", id, tenantId: h.tenantA.id } },
      });
    const res = await post(h.tenantA.apiKey, {
      principal: approver.uid,
      action: "launchRunbook",
      rationale,
      expiresAt: new Date(Date.now() + hour).toISOString(),
    });
    const { id } = (await res.json()) as { id: string };
    expect((await launch("rb_a")).exceptionId).toBe(id);
    expect((await launch("rb_b")).exceptionId).toBe(id);

    const revoked = await h.request(`/v1/policy-exceptions/${id}`, {
      method: "DELETE",
      key: h.tenantA.apiKey,
    });
    expect(revoked.status).toBe(200);
    const body = (await revoked.json()) as { status: string; revocationReceiptId: string };
    expect(body.status).toBe("revoked");
    expect(body.revocationReceiptId).toMatch(/^rcpt_/);
    expect((await launch("rb_a")).decision).toBe("deny");
    const again = await h.request(`/v1/policy-exceptions/${id}`, { method: "DELETE", key: h.tenantA.apiKey });
    expect(((await again.json()) as { revocationReceiptId: null }).revocationReceiptId).toBeNull();
  });

  it("never lift the tenant boundary", async () => {
    const viewer = await actingAs(h.tenantA, "viewer");
    await post(h.tenantA.apiKey, {
      principal: viewer.uid,
      action: "read",
      rationale,
      expiresAt: new Date(Date.now() + hour).toISOString(),
    });
    const record = await authorize({
      ctx: viewer.ctx,
      input: { action: "read", resource: { type: "Receipt", id: "rcpt_b", tenantId: h.tenantB.id } },
    });
    expect(record).toMatchObject({
      decision: "deny",
      determiningPolicies: ["tenant-boundary"],
      exceptionId: null,
    });
  });

  it("are listed for the tenant only, and tenant B cannot revoke tenant A's", async () => {
    const listA = (await (await h.request("/v1/policy-exceptions", { key: h.tenantA.apiKey })).json()) as {
      items: { id: string }[];
    };
    expect(listA.items.length).toBeGreaterThan(0);
    const listB = (await (await h.request("/v1/policy-exceptions", { key: h.tenantB.apiKey })).json()) as {
      items: unknown[];
    };
    expect(listB.items).toEqual([]);
    const first = listA.items[0]?.id ?? "";
    expect(
      (await h.request(`/v1/policy-exceptions/${first}`, { method: "DELETE", key: h.tenantB.apiKey })).status,
    ).toBe(404);
  });

  it("need an admin, a real rationale, a near future expiry and a principal of this tenant", async () => {
    const viewer = await actingAs(h.tenantA, "viewer");
    const good = {
      principal: viewer.uid,
      action: "runCommand",
      rationale,
      expiresAt: new Date(Date.now() + hour).toISOString(),
    };
    expect((await post(viewer.secret, good)).status).toBe(403);
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good, rationale: "because" }, "/rationale"],
      [{ ...good, expiresAt: new Date(Date.now() - hour).toISOString() }, "/expiresAt"],
      [{ ...good, expiresAt: new Date(Date.now() + 91 * 24 * hour).toISOString() }, "/expiresAt"],
      [{ ...good, action: "recordException" }, "/action"],
      [{ ...good, principal: "key_123" }, "/principal"],
      [{ ...good, principal: uidText("ApiKey", "key_of_nobody") }, "/principal"],
      [{ ...good, resource: 'Switchboard::Spaceship::"x"' }, "/resource"],
    ];
    for (const [body, pointer] of cases) {
      const res = await post(h.tenantA.apiKey, body);
      expect(res.status, pointer).toBe(400);
      const problem = (await res.json()) as { errors: { pointer: string }[] };
      expect(problem.errors.map((e) => e.pointer)).toContain(pointer);
    }
    const bKey = await actingAs(h.tenantB, "viewer");
    expect((await post(h.tenantA.apiKey, { ...good, principal: bKey.uid })).status).toBe(400);
  });
});
