import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ MAX_BODY_BYTES: "2048", RATE_LIMIT_PER_MINUTE: "1000" });
});
afterAll(() => h.close());

const problem = async (res: Response) => {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = (await res.json()) as Record<string, unknown>;
  expect(body.status).toBe(res.status);
  expect(body.requestId).toBe(res.headers.get("x-request-id"));
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // never a stack trace
  return body;
};

describe("health and readiness", () => {
  it("answers /healthz and reports a ready database and object store", async () => {
    expect(await (await h.request("/healthz")).json()).toEqual({ status: "ok", runtime: "node" });
    const ready = await h.request("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { database: "ok", objectStore: "ok" } });
  });

  it("a failing dependency is 503 naming it, with the error in the log and not in the answer", async () => {
    // An S3 endpoint nothing listens on (the discard port): the object store cannot answer.
    const broken = await createHarness({
      S3_ENDPOINT: "http://127.0.0.1:9",
      S3_BUCKET: "switchboard-private-bucket",
      S3_ACCESS_KEY_ID: "AKIAREADYZTEST",
      S3_SECRET_ACCESS_KEY: "not-a-real-secret",
    });
    try {
      const res = await broken.request("/readyz", { headers: { "x-request-id": "readyz-broken-1" } });
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({
        status: "not_ready",
        checks: { database: "ok", objectStore: "failed" },
      });
      expect(text).not.toMatch(/127\.0\.0\.1|switchboard-private-bucket|AKIA|refused|fetch/i);
      const line = broken.logs.find((l) => l.msg === "readiness check failed");
      expect(line).toMatchObject({ requestId: "readyz-broken-1", dependency: "objectStore" });
      expect(String(line?.error)).not.toBe("");
    } finally {
      await broken.close();
    }
  });

  it("publishes the signing key at /.well-known/jwks.json", async () => {
    const jwks = (await (await h.request("/.well-known/jwks.json")).json()) as {
      keys: { kid: string; crv: string; d?: string }[];
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]?.kid).toBe(h.platform.signer.kid);
    expect(jwks.keys[0]?.crv).toBe("Ed25519");
    expect(jwks.keys[0]).not.toHaveProperty("d");
  });
});

describe("request id and trace context", () => {
  it("echoes a well-formed traceparent and logs its trace id with the request id", async () => {
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const res = await h.request("/healthz", { headers: { traceparent, "x-request-id": "partner-req-42" } });
    expect(res.headers.get("traceparent")).toBe(traceparent);
    expect(res.headers.get("x-request-id")).toBe("partner-req-42");
    const line = h.logs.find((l) => l.msg === "request" && l.requestId === "partner-req-42");
    expect(line).toMatchObject({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      path: "/healthz",
      status: 200,
    });
  });

  it("starts a new trace when traceparent is malformed", async () => {
    const res = await h.request("/healthz", {
      headers: { traceparent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01" },
    });
    expect(res.headers.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(res.headers.get("traceparent")).not.toContain("00000000000000000000000000000000");
    expect(res.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{24}$/);
  });
});

describe("problems", () => {
  it("401 without a credential, with WWW-Authenticate", async () => {
    const res = await h.request("/v1/tenant");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
    expect(await problem(res)).toMatchObject({ code: "unauthenticated", instance: "/v1/tenant" });
  });

  it("401 for an unknown or malformed key", async () => {
    expect(await problem(await h.request("/v1/tenant", { key: "sb_live_nope" }))).toMatchObject({
      code: "invalid_credential",
    });
    const unknown = `sb_live_${"A".repeat(43)}`;
    expect(await problem(await h.request("/v1/tenant", { key: unknown }))).toMatchObject({
      code: "invalid_credential",
    });
  });

  it("403 when the role may not act", async () => {
    const viewer = await h.tenantA.keyFor("viewer");
    const res = await h.request("/v1/self-tests", { method: "POST", key: viewer });
    expect(res.status).toBe(403);
    expect(await problem(res)).toMatchObject({ code: "forbidden" });
  });

  it("404 for an unknown path and for another tenant's id", async () => {
    expect(await problem(await h.request("/nowhere"))).toMatchObject({ code: "not_found" });
    const res = await h.request("/v1/self-tests/st_unknown", { key: h.tenantA.apiKey });
    expect(res.status).toBe(404);
  });

  it("405 with Allow for a wrong method", async () => {
    const res = await h.request("/healthz", { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    expect(await problem(res)).toMatchObject({ code: "method_not_allowed" });
  });

  it("413 for a body over the limit, naming the limit", async () => {
    const res = await h.request("/v1/self-tests", {
      method: "POST",
      key: h.tenantA.apiKey,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pad: "x".repeat(4096) }),
    });
    expect(res.status).toBe(413);
    expect(await problem(res)).toMatchObject({ code: "payload_too_large", limit: 2048 });
  });

  it("500 hides the cause and logs it with the request id", async () => {
    const broken = await createHarness();
    await broken.database.shutdown();
    const res = await broken.request("/v1/tenant", {
      key: broken.tenantA.apiKey,
      headers: { "x-request-id": "boom-1" },
    });
    expect(res.status).toBe(500);
    const body = await problem(res);
    expect(body).toMatchObject({ code: "internal", requestId: "boom-1" });
    expect(broken.logs.some((l) => l.msg === "unhandled error" && l.requestId === "boom-1")).toBe(true);
    await broken.platform.queue.stop();
  });
});

describe("rate limit", () => {
  it("keys on the authenticated credential: another spelling of the header is the same budget", async () => {
    const limited = await createHarness({ RATE_LIMIT_PER_MINUTE: "3" });
    const key = limited.tenantA.apiKey;
    const statuses: number[] = [];
    for (const authorization of [`Bearer ${key}`, `bearer  ${key}`, `BEARER ${key}`, `Bearer\t${key}`]) {
      statuses.push((await limited.app.request("/v1/tenant", { headers: { authorization } })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    await limited.close();
  });

  it("counts failed authentication per client address; a good credential from there still works", async () => {
    const limited = await createHarness({ AUTH_FAILURES_PER_MINUTE: "2" });
    const fail = (authorization?: string) =>
      limited.app.request("/v1/tenant", { headers: authorization ? { authorization } : {} });
    const statuses = [
      (await fail("Bearer sb_live_guess1")).status,
      (await fail()).status,
      (await fail("Bearer sb_live_guess2")).status,
    ];
    expect(statuses).toEqual([401, 401, 429]);
    const res = await fail("Bearer sb_live_guess3");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await problem(res)).toMatchObject({ code: "rate_limited" });
    expect((await limited.request("/v1/tenant", { key: limited.tenantA.apiKey })).status).toBe(200);
    await limited.close();
  });

  it("429 with Retry-After once a credential passes its per-minute limit", async () => {
    const limited = await createHarness({ RATE_LIMIT_PER_MINUTE: "3" });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await limited.request("/v1/tenant", { key: limited.tenantA.apiKey })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const res = await limited.request("/v1/tenant", { key: limited.tenantA.apiKey });
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await problem(res)).toMatchObject({ code: "rate_limited" });
    // another tenant's credential has its own budget
    expect((await limited.request("/v1/tenant", { key: limited.tenantB.apiKey })).status).toBe(200);
    await limited.close();
  });
});

describe("current tenant", () => {
  it("resolves the API key to its tenant and role", async () => {
    const res = await h.request("/v1/tenant", { key: h.tenantB.apiKey });
    expect(await res.json()).toMatchObject({
      tenant: { id: h.tenantB.id, slug: "globex" },
      credential: { role: "admin" },
    });
  });
});
