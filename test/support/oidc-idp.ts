/**
 * A real OIDC identity provider for tests: a JWKS served over loopback HTTP
 * (node:http on 127.0.0.1, port 0) and tokens minted with jose, RS256 and EdDSA.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from "jose";

export interface MintOptions {
  alg?: "RS256" | "EdDSA";
  /** Overrides of the default claims (iss, aud, sub, iat, exp); `undefined` removes one. */
  claims?: Record<string, unknown>;
  /** Header `kid`; defaults to the key's own. */
  kid?: string;
}

export type TestIdp = Awaited<ReturnType<typeof startTestIdp>>;

export async function startTestIdp(options: { audience?: string } = {}) {
  const tag = Math.random().toString(36).slice(2, 8);
  const rsa = await generateKeyPair("RS256", { extractable: true });
  const ed = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const kids = { RS256: `rsa-${tag}`, EdDSA: `ed-${tag}` };
  const jwks = {
    keys: [
      { ...(await exportJWK(rsa.publicKey)), kid: kids.RS256, alg: "RS256", use: "sig" },
      { ...(await exportJWK(ed.publicKey)), kid: kids.EdDSA, alg: "EdDSA", use: "sig" },
    ],
  };
  let jwksFetches = 0;
  const server = createServer((req, res) => {
    if (req.url !== "/jwks.json") {
      res.writeHead(404).end();
      return;
    }
    jwksFetches++;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const audience = options.audience ?? `switchboard-${tag}`;
  const now = () => Math.floor(Date.now() / 1000);
  const rsaPublicPem = await exportSPKI(rsa.publicKey);

  const claimsOf = (overrides: Record<string, unknown> = {}): JWTPayload => {
    const claims: Record<string, unknown> = { iss: issuer, aud: audience, iat: now(), exp: now() + 300 };
    for (const [name, value] of Object.entries(overrides)) {
      if (value === undefined) delete claims[name];
      else claims[name] = value;
    }
    return claims;
  };

  return {
    issuer,
    audience,
    jwksUrl: `${issuer}/jwks.json`,
    kids,
    /** SPKI PEM of the RSA public key: the "secret" of an HS256 key-confusion forgery. */
    rsaPublicPem,
    jwksFetches: () => jwksFetches,
    now,
    mint({ alg = "RS256", claims, kid }: MintOptions = {}): Promise<string> {
      const key = alg === "RS256" ? rsa.privateKey : ed.privateKey;
      return new SignJWT(claimsOf(claims))
        .setProtectedHeader({ alg, kid: kid ?? kids[alg], typ: "JWT" })
        .sign(key);
    },
    /** `alg: none`: no signature at all. */
    mintUnsigned(claims?: Record<string, unknown>): string {
      return new UnsecuredJWT(claimsOf(claims)).encode();
    },
    /** HS256 whose HMAC secret is the public key's bytes (algorithm confusion). */
    mintHs256WithPublicKey(claims?: Record<string, unknown>): Promise<string> {
      const secret = new TextEncoder().encode(rsaPublicPem);
      return new SignJWT(claimsOf(claims)).setProtectedHeader({ alg: "HS256", kid: kids.RS256 }).sign(secret);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
