/** The OIDC bearer matrix: every refused token says which check failed and nothing about other tenants. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertIdp } from "../../shared/tenants/idp-repo";
import { createHarness, type Harness } from "../support/harness";
import { startTestIdp, type TestIdp } from "../support/oidc-idp";

let h: Harness;
let idpA: TestIdp;
let idpB: TestIdp;
const json = (body: unknown) => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const asA = { "x-switchboard-tenant": "acme" };

const call = (token: string, headers: Record<string, string> = asA, path = "/v1/tenant") =>
  h.request(path, { key: token, headers });

async function refused(res: Response, status: number, detail: RegExp) {
  const body = (await res.json()) as { code: string; detail: string };
  expect(res.status, body.detail).toBe(status);
  expect(body.code).toBe(status === 401 ? "invalid_credential" : "forbidden");
  expect(body.detail).toMatch(detail);
  const text = JSON.stringify(body);
  for (const leak of [h.tenantB.id, "globex", idpB.issuer, idpB.audience]) expect(text).not.toContain(leak);
  return body;
}

beforeAll(async () => {
  h = await createHarness({ OUTBOUND_ALLOW_LOOPBACK: "true" }); // a real executor / IdP on 127.0.0.1
  [idpA, idpB] = await Promise.all([startTestIdp(), startTestIdp()]);
  // Seeded through the repo so the token matrix does not depend on receipts; PUT /v1/idp is tested below.
  const configure = (tenantId: string, idp: TestIdp, matchBy: "email" | "subject") =>
    upsertIdp(h.ctx().db, tenantId, { ...idp, matchBy }, new Date());
  await configure(h.tenantA.id, idpA, "email");
  await configure(h.tenantB.id, idpB, "subject");
  const invite = (key: string, body: Record<string, unknown>) =>
    h.request("/v1/operators", { method: "POST", key, ...json(body) });
  await invite(h.tenantA.apiKey, { email: "Ana@Acme.test", displayName: "Ana", role: "admin" });
  const sam = await invite(h.tenantA.apiKey, { email: "sam@acme.test", displayName: "Sam", role: "viewer" });
  const samId = ((await sam.json()) as { id: string }).id;
  await h.request(`/v1/operators/${samId}/suspend`, { method: "POST", key: h.tenantA.apiKey });
  await invite(h.tenantB.apiKey, {
    email: "bo@globex.test",
    displayName: "Bo",
    role: "operator",
    subject: "b-1",
  });
}, 60_000); // vitest projects do not inherit the root hookTimeout; PGlite start-up is slow under load
afterAll(async () => {
  await h.close();
  await Promise.all([idpA.close(), idpB.close()]);
});

const ana = { sub: "ana-sub", email: "ana@acme.test", email_verified: true };

describe("accepted tokens", () => {
  it.each(["RS256", "EdDSA"] as const)(
    "%s token of an active operator → the operator in tenant A",
    async (alg) => {
      const res = await call(await idpA.mint({ alg, claims: ana }));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        tenant: { id: h.tenantA.id },
        credential: { type: "operator", role: "admin" },
      });
    },
  );

  it("finds the tenant by the token's issuer and audience when no header or domain names it", async () => {
    const res = await call(await idpA.mint({ claims: ana }), {});
    expect(((await res.json()) as { tenant: { id: string } }).tenant.id).toBe(h.tenantA.id);
  });

  it("matches by subject when the tenant's IdP says so", async () => {
    const res = await call(await idpB.mint({ claims: { sub: "b-1" } }), { "x-switchboard-tenant": "globex" });
    expect(((await res.json()) as { tenant: { id: string } }).tenant.id).toBe(h.tenantB.id);
  });

  it("tolerates a little clock skew (exp 10 s ago)", async () => {
    const res = await call(await idpA.mint({ claims: { ...ana, exp: idpA.now() - 10 } }));
    expect(res.status).toBe(200);
  });

  it("fetches the JWKS once per URL, not per request", async () => {
    const before = idpA.jwksFetches();
    for (let i = 0; i < 5; i++) expect((await call(await idpA.mint({ claims: ana }))).status).toBe(200);
    expect(idpA.jwksFetches()).toBe(before);
  });
});

describe("refused tokens", () => {
  it("alg none", async () => {
    await refused(await call(idpA.mintUnsigned(ana)), 401, /algorithm `none` is not accepted/);
  });

  it("HS256 signed with the IdP's public key bytes as the HMAC secret", async () => {
    await refused(
      await call(await idpA.mintHs256WithPublicKey(ana)),
      401,
      /algorithm `HS256` is not accepted/,
    );
  });

  it("expired", async () => {
    await refused(await call(await idpA.mint({ claims: { ...ana, exp: idpA.now() - 120 } })), 401, /expired/);
  });

  it("not yet valid", async () => {
    await refused(
      await call(await idpA.mint({ claims: { ...ana, nbf: idpA.now() + 120 } })),
      401,
      /not valid yet/,
    );
  });

  it("wrong issuer", async () => {
    const token = await idpA.mint({ claims: { ...ana, iss: "https://evil.example" } });
    await refused(await call(token), 401, /issuer \(`iss`\)/);
  });

  it("wrong audience", async () => {
    await refused(await call(await idpA.mint({ claims: { ...ana, aud: "someone-else" } })), 401, /audience/);
  });

  it("no exp claim", async () => {
    await refused(await call(await idpA.mint({ claims: { ...ana, exp: undefined } })), 401, /`exp` claim/);
  });

  it("unknown kid", async () => {
    await refused(
      await call(await idpA.mint({ claims: ana, kid: "no-such-kid" })),
      401,
      /matches the token's `kid`/,
    );
  });

  it("a key of another tenant's IdP, with its own kid or with A's kid", async () => {
    const aClaims = { ...ana, iss: idpA.issuer, aud: idpA.audience };
    await refused(await call(await idpB.mint({ claims: aClaims })), 401, /matches the token's `kid`/);
    const spoofed = await idpB.mint({ claims: aClaims, kid: idpA.kids.RS256 });
    await refused(await call(spoofed), 401, /signature does not verify/);
  });

  it("a token of A's IdP presented to tenant B", async () => {
    const res = await call(await idpA.mint({ claims: ana }), { "x-switchboard-tenant": "globex" });
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).not.toMatch(/globex|acme/);
  });

  it("unknown operator", async () => {
    const token = await idpA.mint({ claims: { sub: "x", email: "nobody@acme.test", email_verified: true } });
    await refused(await call(token), 401, /No operator in this tenant matches the token's `email`/);
  });

  it("unverified email: email_verified false, missing, or not the boolean true", async () => {
    for (const emailVerified of [false, undefined, "true"]) {
      const token = await idpA.mint({ claims: { ...ana, email_verified: emailVerified } });
      await refused(await call(token), 401, /not verified/);
    }
  });

  it("suspended operator → 403", async () => {
    const token = await idpA.mint({ claims: { sub: "sam", email: "sam@acme.test", email_verified: true } });
    await refused(await call(token), 403, /suspended/);
  });

  it("a tenant without an IdP and an unknown slug get the same answer", async () => {
    const token = await idpA.mint({ claims: ana });
    const staff = await refused(await call(token, { "x-switchboard-tenant": "nowhere" }), 401, /No OIDC/);
    expect(staff.detail).toMatch(/identity provider is configured for the named tenant/);
  });

  it("an issuer no tenant trusts", async () => {
    const token = await idpA.mint({ claims: { ...ana, iss: "https://evil.example" } });
    await refused(await call(token, {}), 401, /No tenant trusts this token's issuer/);
  });

  it("garbage that is neither an API key nor a JWT", async () => {
    await refused(await call("not-a-token"), 401, /neither an API key/);
  });
});

describe("operators signed in with OIDC", () => {
  it("an admin operator can act, but cannot suspend themselves", async () => {
    const token = await idpA.mint({ claims: ana });
    const me = await call(token);
    const id = ((await me.json()) as { credential: { id: string } }).credential.id;
    const res = await h.request(`/v1/operators/${id}/suspend`, { method: "POST", key: token, headers: asA });
    expect(res.status).toBe(409);
    const list = await h.request("/v1/operators", { key: token, headers: asA });
    expect(list.status).toBe(200);
  });

  it("on tenant A's white-label host the Host picks A's IdP; on B's host A's token is refused", async () => {
    await h.verifiedDomain(h.tenantA.apiKey, { host: "oidc.first-partner.test", displayName: "First" });
    await h.verifiedDomain(h.tenantB.apiKey, { host: "oidc.second-partner.test", displayName: "Second" });
    const token = await idpA.mint({ claims: ana });
    expect((await h.request("http://oidc.first-partner.test/v1/tenant", { key: token })).status).toBe(200);
    const onB = await h.request("http://oidc.second-partner.test/v1/tenant", { key: token });
    expect(onB.status).toBe(401);
  });
});

describe("IdP settings", () => {
  it("reads back the settings; refuses a non-https JWKS URL; leaves an idp.configured receipt", async () => {
    const got = (await (await h.request("/v1/idp", { key: h.tenantA.apiKey })).json()) as Record<
      string,
      unknown
    >;
    expect(got).toMatchObject({ issuer: idpA.issuer, audience: idpA.audience, matchBy: "email" });
    const bad = await h.request("/v1/idp", {
      method: "PUT",
      key: h.tenantA.apiKey,
      ...json({ issuer: "https://idp.example", audience: "x", jwksUrl: "http://idp.example/jwks" }),
    });
    expect(bad.status).toBe(400);
    const again = await h.request("/v1/idp", {
      method: "PUT",
      key: h.tenantA.apiKey,
      ...json({ issuer: idpA.issuer, audience: idpA.audience, jwksUrl: idpA.jwksUrl, matchBy: "email" }),
    });
    const receiptId = ((await again.json()) as { receiptId: string }).receiptId;
    expect(receiptId).toMatch(/^rcpt_/);
    expect(again.headers.get("x-receipt-id")).toBe(receiptId);
  });

  it("another tenant cannot claim A's issuer and audience: 409, nothing said about A, A still signs in", async () => {
    const claim = { issuer: idpA.issuer, audience: idpA.audience, jwksUrl: idpB.jwksUrl, matchBy: "subject" };
    const res = await h.request("/v1/idp", { method: "PUT", key: h.tenantB.apiKey, ...json(claim) });
    const body = (await res.json()) as { code: string; detail: string };
    expect(res.status).toBe(409);
    expect(body.code).toBe("conflict");
    expect(JSON.stringify(body)).not.toMatch(/acme/i);
    expect(JSON.stringify(body)).not.toContain(h.tenantA.id);
    // B's own IdP is untouched, and A's people still sign in by issuer and audience alone.
    const bIdp = (await (await h.request("/v1/idp", { key: h.tenantB.apiKey })).json()) as { issuer: string };
    expect(bIdp.issuer).toBe(idpB.issuer);
    const signIn = await call(await idpA.mint({ claims: ana }), {});
    expect(signIn.status).toBe(200);
    // The same issuer with another audience is a different client: allowed.
    const other = { ...claim, audience: `${idpA.audience}-globex`, jwksUrl: idpB.jwksUrl };
    expect(
      (await h.request("/v1/idp", { method: "PUT", key: h.tenantB.apiKey, ...json(other) })).status,
    ).toBe(200);
    const restore = {
      issuer: idpB.issuer,
      audience: idpB.audience,
      jwksUrl: idpB.jwksUrl,
      matchBy: "subject",
    };
    expect(
      (await h.request("/v1/idp", { method: "PUT", key: h.tenantB.apiKey, ...json(restore) })).status,
    ).toBe(200);
  });

  it("after DELETE /v1/idp the tenant's tokens are refused; its API keys still work", async () => {
    const token = await idpB.mint({ claims: { sub: "b-1" } });
    const del = await h.request("/v1/idp", { method: "DELETE", key: h.tenantB.apiKey });
    expect(del.status).toBe(204);
    expect((await call(token, { "x-switchboard-tenant": "globex" })).status).toBe(401);
    expect((await h.request("/v1/idp", { key: h.tenantB.apiKey })).status).toBe(404);
    expect((await h.request("/v1/tenant", { key: h.tenantB.apiKey })).status).toBe(200);
  });

  it("an IdP whose JWKS cannot be fetched answers 503, not a credential error", async () => {
    await upsertIdp(
      h.ctx().db,
      h.tenantB.id,
      { ...idpB, jwksUrl: "http://127.0.0.1:9/jwks.json", matchBy: "subject" },
      new Date(),
    );
    const res = await call(await idpB.mint({ claims: { sub: "b-1" } }), { "x-switchboard-tenant": "globex" });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe("unavailable");
  });
});
