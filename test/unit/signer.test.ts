import { compactVerify, createLocalJWKSet } from "jose";
import { describe, expect, it } from "vitest";
import { createSigner, generateSigningKey, parseSigningKeys } from "../../shared/platform/signer";

describe("Ed25519 signer", () => {
  it("signs JSON that verifies against its own JWKS", async () => {
    const signer = await createSigner([await generateSigningKey()]);
    const jws = await signer.signJson({ hello: "partner" }, { typ: "checkpoint+jws" });
    const { payload, protectedHeader } = await compactVerify(jws, createLocalJWKSet(signer.jwks()));
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ hello: "partner" });
    expect(protectedHeader).toMatchObject({ alg: "EdDSA", kid: signer.kid, typ: "checkpoint+jws" });
  });

  it("after a rotation, signatures by the retired key still verify and new ones use the new key", async () => {
    const old = await generateSigningKey();
    const before = await (await createSigner([old])).signJson({ n: 1 });
    const rotated = await createSigner([await generateSigningKey(), old]);
    const jwks = createLocalJWKSet(rotated.jwks());
    await expect(compactVerify(before, jwks)).resolves.toBeTruthy();
    const after = await rotated.signJson({ n: 2 });
    expect((await compactVerify(after, jwks)).protectedHeader.kid).not.toBe(old.kid);
  });

  it("a changed byte fails verification", async () => {
    const signer = await createSigner([await generateSigningKey()]);
    const [h, p, s] = (await signer.signJson({ amount: 1 })).split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ amount: 2 })).toString("base64url")}.${s}`;
    expect(p).not.toBe(forged.split(".")[1]);
    await expect(compactVerify(forged, createLocalJWKSet(signer.jwks()))).rejects.toThrow();
  });

  it("publishes no private material", async () => {
    const signer = await createSigner([await generateSigningKey()]);
    expect(JSON.stringify(signer.jwks())).not.toContain('"d"');
  });

  it("rejects SIGNING_KEYS that are not Ed25519 private JWKs", () => {
    expect(() => parseSigningKeys("nope")).toThrow(/JSON private JWK/);
    expect(() => parseSigningKeys('{"kty":"RSA","kid":"a"}')).toThrow(
      /SIGNING_KEYS\[0\]: expected an Ed25519/,
    );
    expect(() => parseSigningKeys('[{"kty":"OKP","crv":"Ed25519","x":"a","d":"b"}]')).toThrow(/missing kid/);
  });
});
