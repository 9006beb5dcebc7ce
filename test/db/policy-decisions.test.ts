/** Policy gates as a user meets them: decisions stored, denials receipted, 403s that explain themselves. */
import { readFile } from "node:fs/promises";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantCtx } from "../../shared/context/context";
import { decisions, type Role, receipts } from "../../shared/db/schema";
import { AppError } from "../../shared/errors/app-error";
import { authorize, enforce } from "../../shared/policy/authorize";
import { uidText } from "../../shared/policy/model";
import { authenticateApiKey } from "../../shared/tenants/api-keys";
import { createHarness, type Harness, type SeededTenant } from "../support/harness";

let h: Harness;
let manifestVersion: string;
beforeAll(async () => {
  h = await createHarness();
  manifestVersion = (JSON.parse(await readFile("policies/manifest.json", "utf8")) as { version: string })
    .version;
});
afterAll(() => h.close());

/** A domain context acting as a fresh key of `role` in `tenant`, and that key's Cedar uid. */
async function actingAs(
  tenant: SeededTenant,
  role: Role,
): Promise<{ ctx: TenantCtx; uid: string; secret: string }> {
  const secret = role === "admin" ? tenant.apiKey : await tenant.keyFor(role);
  const { tenant: ref, actor } = await authenticateApiKey({ ctx: h.ctx(), secret });
  return { ctx: { ...h.ctx(), tenant: ref, actor }, uid: uidText("ApiKey", actor.id), secret };
}

async function denial(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

const command = (tenantId: string, id = "cmd_restart_checkout") => ({
  type: "Command" as const,
  id,
  tenantId,
});

describe("default policies through authorize", () => {
  it("viewer reads but may not run a command: the deny says which role would do", async () => {
    const { ctx } = await actingAs(h.tenantA, "viewer");
    expect(
      (await authorize({ ctx, input: { action: "read", resource: command(h.tenantA.id) } })).decision,
    ).toBe("allow");
    const denied = await authorize({ ctx, input: { action: "runCommand", resource: command(h.tenantA.id) } });
    expect(denied).toMatchObject({
      decision: "deny",
      determiningPolicies: [],
      remediation: "needs role operator",
    });
  });

  it("operator runs commands", async () => {
    const { ctx } = await actingAs(h.tenantA, "operator");
    const allowed = await enforce({ ctx, input: { action: "runCommand", resource: command(h.tenantA.id) } });
    expect(allowed).toMatchObject({ decision: "allow", determiningPolicies: ["operator-run-command"] });
  });

  it("approver approves another's request; approving their own is denied with a decision and a receipt", async () => {
    const requester = await actingAs(h.tenantA, "operator");
    const approver = await actingAs(h.tenantA, "approver");
    const approval = (id: string, owner: TenantCtx["actor"]) => ({
      type: "Approval" as const,
      id,
      tenantId: h.tenantA.id,
      owner: { type: "ApiKey" as const, id: owner.id },
    });
    const ok = await enforce({
      ctx: approver.ctx,
      input: { action: "approve", resource: approval("apr_1", requester.ctx.actor) },
    });
    expect(ok.decision).toBe("allow");

    const error = await denial(
      enforce({
        ctx: approver.ctx,
        input: { action: "approve", resource: approval("apr_2", approver.ctx.actor) },
      }),
    );
    expect(error.status).toBe(403);
    expect(error.extras).toMatchObject({ remediation: "needs approval by another approver" });
    const { decisionId, receiptId } = error.extras;
    expect(decisionId).toMatch(/^dec_/);
    const [receipt] = await h
      .ctx()
      .db.select()
      .from(receipts)
      .where(eq(receipts.id, String(receiptId)));
    expect(receipt).toMatchObject({ tenantId: h.tenantA.id, kind: "policy.denied", decisionId });
    const [stored] = await h
      .ctx()
      .db.select()
      .from(decisions)
      .where(eq(decisions.id, String(decisionId)));
    expect(stored).toMatchObject({
      tenantId: h.tenantA.id,
      principal: approver.uid,
      action: "approve",
      resource: 'Switchboard::Approval::"apr_2"',
      decision: "deny",
      determiningPolicies: ["approval-not-own-request"],
      errors: [],
      bundleVersion: manifestVersion,
      exceptionId: null,
    });
    expect(stored?.contextDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it("admin imports; an import that grants admin is denied to anyone else", async () => {
    const admin = await actingAs(h.tenantA, "admin");
    const operator = await actingAs(h.tenantA, "operator");
    const imp = { type: "Import" as const, id: "imp_roles", tenantId: h.tenantA.id };
    const grant = { dryRun: false, grantsAdmin: true };
    expect(
      await enforce({ ctx: admin.ctx, input: { action: "import", resource: imp, context: grant } }),
    ).toMatchObject({
      decision: "allow",
      determiningPolicies: ["admin-import"],
    });
    const preview = { dryRun: true, grantsAdmin: false };
    expect(
      (await authorize({ ctx: operator.ctx, input: { action: "import", resource: imp, context: preview } }))
        .decision,
    ).toBe("allow");
    const error = await denial(
      enforce({
        ctx: operator.ctx,
        input: { action: "import", resource: imp, context: { ...preview, grantsAdmin: true } },
      }),
    );
    expect(error.extras).toMatchObject({ remediation: "needs role admin" });
    const record = await authorize({
      ctx: operator.ctx,
      input: { action: "import", resource: imp, context: grant },
    });
    expect(record).toMatchObject({
      decision: "deny",
      determiningPolicies: ["import-admin-grant-needs-admin"],
    });
  });

  it("pilot-ops reads another tenant but cannot write", async () => {
    const { ctx } = await actingAs(h.tenantA, "pilot-ops");
    const theirs = { type: "Receipt" as const, id: "rcpt_x", tenantId: h.tenantB.id };
    expect(await authorize({ ctx, input: { action: "read", resource: theirs } })).toMatchObject({
      decision: "allow",
      determiningPolicies: ["pilot-ops-read"],
    });
    const error = await denial(
      enforce({ ctx, input: { action: "runCommand", resource: command(h.tenantA.id) } }),
    );
    expect(error.message).toMatch(/pilot-ops is read-only/);
  });

  it("a tenant-A principal is denied on a tenant-B resource, even as admin", async () => {
    const { ctx } = await actingAs(h.tenantA, "admin");
    const record = await authorize({
      ctx,
      input: { action: "configure", resource: { type: "Tenant", id: h.tenantB.id, tenantId: h.tenantB.id } },
    });
    expect(record).toMatchObject({ decision: "deny", determiningPolicies: ["tenant-boundary"] });
    expect(record.remediation).toMatch(/another tenant/);
  });
});

describe("gated routes", () => {
  it("a policy 403 carries decisionId and receiptId, and GET /v1/decisions/{id} returns the record", async () => {
    const admin = await actingAs(h.tenantA, "admin");
    // Recording an exception for yourself is forbidden by policy (exception-not-for-self).
    const res = await h.request("/v1/policy-exceptions", {
      method: "POST",
      key: admin.secret,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        principal: admin.uid,
        action: "runCommand",
        rationale: "I would like to run commands myself for a while.",
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await res.json()) as Record<string, string>;
    expect(problem).toMatchObject({ code: "forbidden", remediation: expect.stringMatching(/another admin/) });
    expect(problem.decisionId).toMatch(/^dec_/);
    expect(problem.receiptId).toMatch(/^rcpt_/);

    const got = await h.request(`/v1/decisions/${problem.decisionId}`, { key: admin.secret });
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({
      id: problem.decisionId,
      principal: admin.uid,
      action: "recordException",
      decision: "deny",
      determiningPolicies: ["exception-not-for-self"],
      bundleVersion: manifestVersion,
      remediation: problem.remediation,
    });
    expect((await h.request(`/v1/decisions/${problem.decisionId}`, { key: h.tenantB.apiKey })).status).toBe(
      404,
    );
  });

  it("the admin routes are Cedar-gated inside their verbs: each call stores an allow decision", async () => {
    const admin = await actingAs(h.tenantB, "admin");
    expect((await h.request("/v1/api-keys", { key: admin.secret })).status).toBe(200);
    expect((await h.request("/v1/self-tests", { method: "POST", key: admin.secret })).status).toBe(202);
    const rows = await h
      .ctx()
      .db.select()
      .from(decisions)
      .where(and(eq(decisions.tenantId, h.tenantB.id), eq(decisions.principal, admin.uid)));
    expect(rows.map((r) => [r.action, r.decision, r.determiningPolicies])).toEqual(
      expect.arrayContaining([
        ["manageKeys", "allow", ["admin-configure"]],
        ["configure", "allow", ["admin-configure"]],
      ]),
    );
  });
});
