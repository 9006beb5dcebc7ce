/**
 * A tenant cannot make the server reach a private network: without OUTBOUND_ALLOW_LOOPBACK (the
 * production default) an executor or IdP key set on loopback, a private range or the metadata
 * address is refused when saved, and a stored one is refused at delivery — the server there sees
 * no request and the tenant reads nothing back. (Names resolving to such addresses are refused
 * after DNS and at connect: test/node/outbound.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../shared/ids/ids";
import { upsertExecutor } from "../../shared/ops/executors/executors-repo";
import { upsertIdp } from "../../shared/tenants/idp-repo";
import { startExecutor } from "../support/executor-server";
import { createHarness, type Harness } from "../support/harness";
import { startTestIdp, type TestIdp } from "../support/oidc-idp";
import { type Body, issueKey, jwksOf, opsClient } from "./ops-support";

let h: Harness;
let api: ReturnType<typeof opsClient>;
let executor: Awaited<ReturnType<typeof startExecutor>>;
let idp: TestIdp;
let operator: string;

beforeAll(async () => {
  h = await createHarness();
  api = opsClient(h);
  executor = await startExecutor(jwksOf(h));
  idp = await startTestIdp();
  operator = (await issueKey(h, "operator")).key;
}, 60_000);
afterAll(async () => {
  await executor.close();
  await idp.close();
  await h.close();
});

describe("executor URL", () => {
  it.each([
    ["a loopback executor over http", () => executor.url],
    ["localhost", () => "https://localhost/commands"],
    ["an RFC 1918 address", () => "https://10.0.0.5/commands"],
    ["the cloud metadata address", () => "https://169.254.169.254/latest/meta-data/"],
    ["a CGNAT address", () => "https://100.64.0.9/commands"],
    ["an IPv6 unique-local address", () => "https://[fd00::5]/commands"],
    ["an IPv4-mapped private address", () => "https://[::ffff:192.168.1.1]/commands"],
  ])("%s is refused when saved", async (_what, url) => {
    const res = await api.call(h.tenantA.apiKey, "PUT", "/v1/executor", { url: url() });
    expect(res.status).toBe(400);
    expect((res.body.errors as Body[])[0]).toMatchObject({ pointer: "/url", code: "invalid_executor_url" });
  });

  it("a stored loopback executor gets no request; the command fails at once, refused, nothing read back", async () => {
    // As if saved before the rule: every delivery is checked again, not only the save.
    await upsertExecutor(h.ctx().db, {
      id: newId("exe"),
      tenantId: h.tenantA.id,
      url: executor.url.replace("127.0.0.1", "localhost"),
      timeoutMs: 2000,
      maxAttempts: 3,
      backoffSeconds: 0,
    });
    const command = await api.ok(operator, "POST", "/v1/commands", {
      name: "service.restart",
      target: "svc:checkout-api",
    });
    await h.platform.queue.drain();
    const failed = await api.ok(operator, "GET", `/v1/commands/${command.id}`);
    expect(failed).toMatchObject({ status: "failed", attemptCount: 1 });
    expect(String(failed.error)).toMatch(/^attempt 1: refused http:\/\/localhost:\d+\/commands/);
    expect(failed.outcome ?? null).toBeNull();
    expect(executor.calls).toHaveLength(0);
  });
});

describe("IdP key set URL", () => {
  it("a loopback or private JWKS URL is refused when saved", async () => {
    for (const jwksUrl of [idp.jwksUrl, "https://10.1.1.1/jwks.json", "https://169.254.169.254/jwks"]) {
      const res = await api.call(h.tenantA.apiKey, "PUT", "/v1/idp", {
        issuer: "https://idp.partner.example",
        audience: "switchboard",
        jwksUrl,
      });
      expect(res.status, jwksUrl).toBe(400);
      expect((res.body.errors as Body[])[0]).toMatchObject({ pointer: "/jwksUrl" });
    }
  });

  it("a stored loopback key set is never fetched: the token is not verified", async () => {
    await upsertIdp(
      h.ctx().db,
      h.tenantB.id,
      { ...idp, jwksUrl: idp.jwksUrl.replace("127.0.0.1", "localhost"), matchBy: "subject" },
      new Date(),
    );
    const token = await idp.mint({ claims: { sub: "b-1" } });
    const res = await h.request("/v1/tenant", { key: token, headers: { "x-switchboard-tenant": "globex" } });
    expect(res.status).toBe(503);
    expect(idp.jwksFetches()).toBe(0);
  });
});
