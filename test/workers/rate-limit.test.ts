/**
 * Request limits in workerd on the Rate Limiting bindings (`[[ratelimits]]` in wrangler.toml,
 * bound by Miniflare with lower limits): a credential's budget does not depend on how its
 * `Authorization` header is spelled, and failed sign-ins count against the client address.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../shared/platform/clock";
import { createApiKey } from "../../shared/tenants/api-keys";
import { declaredRateLimits } from "./miniflare";
import { startStack, type WorkerStack } from "./stack";

let stack: WorkerStack;
const url = (path: string) => `http://worker.test${path}`;
const send = (authorization: string | undefined, address = "198.51.100.7") =>
  stack.worker.mf.dispatchFetch(url("/v1/tenant"), {
    headers: { ...(authorization ? { authorization } : {}), "cf-connecting-ip": address },
  });

beforeAll(async () => {
  stack = await startStack({
    bucket: "switchboard-ratelimit",
    tenant: { slug: "ratelimit", name: "Rate Limit Inc." },
    ratelimits: {
      RATE_LIMITER: { simple: { limit: 4, period: 60 } },
      AUTH_FAILURE_LIMITER: { simple: { limit: 3, period: 60 } },
    },
  });
});
afterAll(() => stack?.close());

describe("rate limits on the Workers binding", () => {
  it("wrangler.toml declares both bindings", () => {
    expect(Object.keys(declaredRateLimits).sort()).toEqual(["AUTH_FAILURE_LIMITER", "RATE_LIMITER"]);
  });

  it("counts a credential however its header is spelled; another credential has its own budget", async () => {
    const key = stack.tenant.apiKey;
    const spellings = [`Bearer ${key}`, `bearer  ${key}`, `BEARER ${key}`, `Bearer\t${key}`, `Bearer ${key}`];
    const statuses: number[] = [];
    for (const header of spellings) statuses.push((await send(header)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const over = await send(`Bearer ${key}`);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await over.json()) as { code: string }).code).toBe("rate_limited");

    const other = await createApiKey({
      ctx: { db: stack.pg.connect().db, clock: systemClock },
      input: { tenantId: stack.tenant.id, name: "second", role: "viewer" },
    });
    expect((await send(`Bearer ${other.secret}`)).status).toBe(200);
  });

  it("counts failed authentication per client address, not per attempted credential", async () => {
    const attempts = ["Bearer sb_live_guess", "Bearer not-a-jwt", undefined, "Basic Zm9vOmJhcg=="];
    const statuses: number[] = [];
    for (const header of attempts) statuses.push((await send(header, "203.0.113.9")).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses[3]).toBe(429);
    // Another address is not held to that one's failures.
    expect((await send("Bearer sb_live_guess", "203.0.113.10")).status).toBe(401);
  });
});
