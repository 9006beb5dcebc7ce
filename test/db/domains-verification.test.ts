/**
 * White-label domains prove ownership before they route: a DNS TXT record at
 * `_switchboard-challenge.<host>` holding the domain's token, looked up through a real
 * DNS-over-HTTPS resolver on loopback (test/support/doh-server.ts), re-checked by the cron.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCron } from "../../functions/jobs/cron";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

beforeAll(async () => {
  h = await createHarness(
    { PUBLIC_BASE_URL: "https://pilot.platform.test", RESERVED_HOSTS: "status.platform.test, Internal.Test" },
    { clock },
  );
}, 60_000); // vitest projects do not inherit the root hookTimeout; PGlite start-up is slow under load
afterAll(() => h.close());

type Domain = {
  host: string;
  status: "pending" | "verified";
  verification: { type: string; name: string; value: string };
  verifiedAt: string | null;
  checkProblem: string | null;
};
type Problem = { code: string; detail: string; errors?: { pointer: string; message: string }[] };
type Receipt = { subject: string; actor: string; details: Record<string, unknown> };

const post = (key: string, path: string, body?: unknown) =>
  h.request(path, {
    method: "POST",
    key,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
const add = async (key: string, host: string) => {
  const res = await post(key, "/v1/domains", {
    host,
    displayName: `Portal ${host}`,
    primaryColor: "#0f766e",
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Domain;
};
const verify = (key: string, host: string) => post(key, `/v1/domains/${host}/verify`);
const read = async (key: string, host: string) =>
  (await (await h.request(`/v1/domains/${host}`, { key })).json()) as Domain;
const tenantOn = async (host: string, key: string) => h.request(`http://${host}/v1/tenant`, { key });
const branding = async (host: string) =>
  (await (await h.request(`http://${host}/branding`)).json()) as { isDefault: boolean; displayName: string };
const receipts = async (key: string, kind: string, host: string) =>
  (
    (await (await h.request(`/v1/timeline?kind=${kind}&subject=domain:${host}`, { key })).json()) as {
      items: Receipt[];
    }
  ).items;

describe("a new domain is pending until DNS proves it", () => {
  const host = "portal.partner-one.test";

  it("is added pending with a TXT challenge, shown on create and on GET, and routes nothing yet", async () => {
    const created = await add(h.tenantA.apiKey, host);
    expect(created).toMatchObject({
      status: "pending",
      verifiedAt: null,
      verification: { type: "dns-txt", name: `_switchboard-challenge.${host}` },
    });
    expect(created.verification.value).toMatch(/^sbv_[A-Za-z0-9_-]{32}$/);
    expect((await read(h.tenantA.apiKey, host)).verification).toEqual(created.verification);
    // A pending host is no white-label domain: the credential decides, the branding is Switchboard's.
    expect((await tenantOn(host, h.tenantB.apiKey)).status).toBe(200);
    expect(await branding(host)).toMatchObject({ isDefault: true, displayName: "Switchboard" });
  });

  it("422 names the record while it is missing or holds something else; 503 when the resolver fails", async () => {
    const missing = await verify(h.tenantA.apiKey, host);
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as Problem).detail).toContain(
      `_switchboard-challenge.${host} does not exist`,
    );

    h.dns.setTxt(`_switchboard-challenge.${host}`, ["sbv_not-this-one", "v=spf1 -all"]);
    const wrong = await verify(h.tenantA.apiKey, host);
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as Problem).detail).toMatch(/None of the 2 TXT value\(s\)/);
    expect(await read(h.tenantA.apiKey, host)).toMatchObject({ status: "pending", checkProblem: /None of/ });

    h.dns.failing(true);
    const down = await verify(h.tenantA.apiKey, host);
    h.dns.failing(false);
    expect(down.status).toBe(503);
    expect(((await down.json()) as Problem).code).toBe("unavailable");
    expect(await receipts(h.tenantA.apiKey, "domain.verified", host)).toHaveLength(0);
  });

  it("verifies once the record holds the token: a domain.verified receipt, then it routes and brands", async () => {
    const { verification } = await read(h.tenantA.apiKey, host);
    h.dns.setTxt(verification.name, ["v=spf1 -all", verification.value]);
    const res = await verify(h.tenantA.apiKey, host);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "verified", checkProblem: null });
    const [receipt] = await receipts(h.tenantA.apiKey, "domain.verified", host);
    expect(receipt).toMatchObject({ subject: `domain:${host}`, details: { host } });

    const onHost = await tenantOn(host, h.tenantB.apiKey);
    expect(onHost.status).toBe(403);
    expect(((await onHost.json()) as Problem).code).toBe("tenant_mismatch");
    expect((await tenantOn(host, h.tenantA.apiKey)).status).toBe(200);
    expect(await branding(host)).toMatchObject({ isDefault: false, displayName: `Portal ${host}` });
    // Verifying again re-checks and changes nothing.
    expect((await verify(h.tenantA.apiKey, host)).status).toBe(200);
    expect(await receipts(h.tenantA.apiKey, "domain.verified", host)).toHaveLength(1);
  });
});

describe("the platform's own hosts", () => {
  it.each([
    "api.switchboard.dev",
    "switchboard.dev",
    "pilot.platform.test",
    "eu.pilot.platform.test",
    "status.platform.test",
    "internal.test",
    "a.internal.test",
  ])("%s is refused with 400 at /host", async (host) => {
    const res = await post(h.tenantA.apiKey, "/v1/domains", { host, displayName: "Mine" });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as Problem;
    expect(problem.errors?.[0]).toMatchObject({ pointer: "/host", message: /Switchboard's own/ });
  });
});

describe("who holds a host", () => {
  const host = "portal.partner-two.test";
  const name = `_switchboard-challenge.${host}`;

  it("a squatter's pending claim does not stop the owner from verifying", async () => {
    const squat = await add(h.tenantB.apiKey, host);
    const owner = await add(h.tenantA.apiKey, host);
    expect(owner.verification.value).not.toBe(squat.verification.value);
    h.dns.setTxt(name, [owner.verification.value]);
    expect((await verify(h.tenantB.apiKey, host)).status).toBe(422);
    expect((await verify(h.tenantA.apiKey, host)).status).toBe(200);
    expect((await read(h.tenantB.apiKey, host)).status).toBe("pending");
  });

  it("a host verified by another tenant is refused without naming it", async () => {
    const { verification } = await read(h.tenantB.apiKey, host);
    // Even with both tokens in DNS, the holder keeps it: the first proof stands.
    h.dns.setTxt(name, [(await read(h.tenantA.apiKey, host)).verification.value, verification.value]);
    const again = await verify(h.tenantB.apiKey, host);
    expect(again.status).toBe(409);
    const text = JSON.stringify(await again.json());
    for (const leak of [h.tenantA.id, h.tenantA.slug, "acme"]) expect(text).not.toContain(leak);

    await h.request(`/v1/domains/${host}`, { method: "DELETE", key: h.tenantB.apiKey });
    const claim = await post(h.tenantB.apiKey, "/v1/domains", { host, displayName: "Mine now" });
    expect(claim.status).toBe(409);
    expect(((await claim.json()) as Problem).detail).toBe(
      `The host ${host} is already verified by another tenant.`,
    );
  });

  it("when the record holds only another tenant's token, the host moves to the one proving it", async () => {
    const other = "portal.partner-three.test";
    const a = await add(h.tenantA.apiKey, other);
    const b = await add(h.tenantB.apiKey, other);
    h.dns.setTxt(a.verification.name, [a.verification.value]);
    expect((await verify(h.tenantA.apiKey, other)).status).toBe(200);
    h.dns.setTxt(b.verification.name, [b.verification.value]); // the domain's real owner changed its DNS
    expect((await verify(h.tenantB.apiKey, other)).status).toBe(200);
    expect(await read(h.tenantA.apiKey, other)).toMatchObject({ status: "pending" });
    const [lost] = await receipts(h.tenantA.apiKey, "domain.verification_failed", other);
    expect(lost).toMatchObject({ actor: "system:domain-check", details: { host: other } });
    expect((await tenantOn(other, h.tenantB.apiKey)).status).toBe(200);
    expect((await tenantOn(other, h.tenantA.apiKey)).status).toBe(403);
  });
});

describe("the cron re-checks", () => {
  const host = "portal.partner-four.test";

  it("verifies a pending domain whose record appeared, and takes back one whose record is gone", async () => {
    const created = await add(h.tenantA.apiKey, host);
    h.dns.setTxt(created.verification.name, [created.verification.value]);
    await runCron(h.platform, "*/5 * * * *");
    expect((await read(h.tenantA.apiKey, host)).status).toBe("verified");
    expect(await receipts(h.tenantA.apiKey, "domain.verified", host)).toHaveLength(1);

    // A resolver outage changes nothing.
    h.dns.removeName(created.verification.name);
    h.dns.failing(true);
    offsetMs += 2 * 60 * 60_000;
    await runCron(h.platform, "*/5 * * * *");
    h.dns.failing(false);
    expect((await read(h.tenantA.apiKey, host)).status).toBe("verified");

    // An outage is no check: the next run looks again, and a missing record demotes the domain.
    await runCron(h.platform, "*/5 * * * *");
    const domain = await read(h.tenantA.apiKey, host);
    expect(domain).toMatchObject({ status: "pending", verifiedAt: null, checkProblem: /does not exist/ });
    const [failed] = await receipts(h.tenantA.apiKey, "domain.verification_failed", host);
    expect(failed).toMatchObject({ actor: "system:domain-check", details: { host } });
    expect((await tenantOn(host, h.tenantB.apiKey)).status).toBe(200);
    expect(await branding(host)).toMatchObject({ isDefault: true });
  });
});
