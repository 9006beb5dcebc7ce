/**
 * Ed25519 signing through jose. The first private key signs; every key's public
 * half is published in the JWKS so signatures made before a rotation still verify.
 */
import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import type { JsonWebKeyWithKid, Signer } from "./ports";

export interface PrivateJwk extends JWK {
  kid: string;
  d: string;
}

export async function generateSigningKey(): Promise<PrivateJwk> {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x } as JWK);
  return { ...jwk, kid, alg: "EdDSA", use: "sig" } as PrivateJwk;
}

/** Parses SIGNING_KEYS: one private JWK or an array of them, each with a `kid`; the first signs. */
export function parseSigningKeys(raw: string): PrivateJwk[] {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error("SIGNING_KEYS: expected a JSON private JWK or an array of them");
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new Error("SIGNING_KEYS: no key given");
  return list.map((key, i) => {
    const k = key as Partial<PrivateJwk>;
    if (k.kty !== "OKP" || k.crv !== "Ed25519" || typeof k.d !== "string" || typeof k.x !== "string") {
      throw new Error(`SIGNING_KEYS[${i}]: expected an Ed25519 private JWK (kty OKP, crv Ed25519, x, d)`);
    }
    if (typeof k.kid !== "string" || k.kid.length === 0) throw new Error(`SIGNING_KEYS[${i}]: missing kid`);
    return k as PrivateJwk;
  });
}

export async function createSigner(keys: PrivateJwk[]): Promise<Signer> {
  const [active] = keys;
  if (!active) throw new Error("a signer needs at least one key");
  const privateKey = await importJWK(active, "EdDSA");
  const publicKeys: JsonWebKeyWithKid[] = keys.map((k) => ({
    kty: k.kty ?? "OKP",
    crv: k.crv,
    x: k.x,
    kid: k.kid,
    alg: "EdDSA",
    use: "sig",
  }));
  const encoder = new TextEncoder();
  return {
    kid: active.kid,
    async signJson(payload, options) {
      return new CompactSign(encoder.encode(JSON.stringify(payload)))
        .setProtectedHeader({ alg: "EdDSA", kid: active.kid, typ: options?.typ ?? "JWT" })
        .sign(privateKey);
    },
    jwks: () => ({ keys: publicKeys }),
  };
}
