/** Helpers for the ops tests (not a test file): JSON requests with a key, typed answers. */
import { expect } from "vitest";
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
