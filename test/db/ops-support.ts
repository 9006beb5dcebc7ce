/** Helpers for the ops tests (not a test file): JSON requests with a key, typed answers. */
import { expect } from "vitest";
import type { TenantCtx } from "../../shared/context/context";
import { launchRun } from "../../shared/ops/runbook-runs/runs";
import type { Clock } from "../../shared/platform/ports";
import type { PolicyEngine } from "../../shared/policy/engine";
import type { Harness } from "../support/harness";

export type Body = Record<string, unknown> & { id: string; status: string };

export function opsClient(h: Harness) {
  const call = async (key: string, method: string, path: string, body?: unknown) => {
    const init =
      body === undefined
        ? {}
        : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
    const res = await h.request(path, { method, key, ...init });
    return { status: res.status, body: (res.status === 204 ? {} : await res.json()) as Body };
  };
  const ok = async (key: string, method: string, path: string, body?: unknown) => {
    const res = await call(key, method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };
  return { call, ok };
}

/** An API key with its id (the Cedar principal), issued by tenant A's admin. */
export async function issueKey(h: Harness, role: string) {
  const res = await h.request("/v1/api-keys", {
    method: "POST",
    key: h.tenantA.apiKey,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: `${role} ${Math.random()}`, role }),
  });
  const body = (await res.json()) as { id: string; secret: string };
  return { id: body.id, key: body.secret };
}

export const jwksOf = (h: Harness) => async () =>
  (await (await h.request("/.well-known/jwks.json")).json()) as never;

/** The platform's Cedar engine, except that asking it for `action` throws: a worker lost right there. */
export function losingWorkerAt(real: PolicyEngine, action: string, message: string): PolicyEngine {
  return {
    bundleVersion: real.bundleVersion,
    remediations: real.remediations,
    isAuthorized: (request) => {
      if ((request.action as { id?: string }).id === action) throw new Error(message);
      return real.isAuthorized(request);
    },
  };
}

/**
 * Launches `runbookId` as tenant A's `operator` with the worker lost after the launch
 * commits, before it releases the first step's command: that command stays `requested`.
 */
export async function launchWithWorkerLost(
  h: Harness,
  operator: { id: string; key: string },
  runbookId: string,
  clock: Clock = h.ctx().clock,
): Promise<{ runId: string; commandId: string }> {
  const api = opsClient(h);
  const ctx: TenantCtx = {
    ...h.ctx(),
    policy: losingWorkerAt(h.platform.policy, "runCommand", "worker lost before the release"),
    clock,
    tenant: { id: h.tenantA.id, slug: h.tenantA.slug, name: "acme Inc." },
    actor: { type: "api_key", id: operator.id, role: "operator" },
  };
  await expect(launchRun({ ctx, runbookId, input: { inputs: {} } })).rejects.toThrow("worker lost");
  const runs = (await api.ok(operator.key, "GET", "/v1/runbook-runs?limit=50")).items as Body[];
  const run = runs.find((r) => r.runbookId === runbookId) as Body;
  const step = ((await api.ok(operator.key, "GET", `/v1/runbook-runs/${run.id}`)).steps as Body[])[0];
  const commandId = String(step?.commandId);
  expect(await api.ok(operator.key, "GET", `/v1/commands/${commandId}`)).toMatchObject({
    status: "requested",
  });
  return { runId: run.id, commandId };
}
