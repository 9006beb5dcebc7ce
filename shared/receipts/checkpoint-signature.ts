/** Checks a checkpoint JWS against a set of public keys (the service's JWKS or a bundle's). */
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from "jose";
import type { JsonWebKeyWithKid } from "../platform/ports";
import { type CheckpointPayload, checkpointTyp } from "./receipt-views";

export type SignatureCheck =
  | { ok: true; payload: CheckpointPayload; kid: string }
  | { ok: false; reason: string };

export async function verifyCheckpointJws(jws: string, keys: JsonWebKeyWithKid[]): Promise<SignatureCheck> {
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(jws);
    if (header.typ !== checkpointTyp)
      return { ok: false, reason: `JWS typ is ${header.typ}, not ${checkpointTyp}` };
    if (header.alg !== "EdDSA") return { ok: false, reason: `JWS alg is ${header.alg}, not EdDSA` };
    kid = header.kid;
  } catch {
    return { ok: false, reason: "the checkpoint JWS is not a compact JWS" };
  }
  const key = keys.find((k) => k.kid === kid);
  if (!key) return { ok: false, reason: `no public key with kid ${kid}` };
  try {
    const { payload } = await compactVerify(jws, await importJWK(key as JWK, "EdDSA"));
    const parsed = parsePayload(JSON.parse(new TextDecoder().decode(payload)));
    return parsed
      ? { ok: true, payload: parsed, kid: key.kid }
      : { ok: false, reason: "the signed payload is not a checkpoint" };
  } catch (error) {
    return { ok: false, reason: `the signature does not verify (${(error as Error).message})` };
  }
}

function parsePayload(value: unknown): CheckpointPayload | undefined {
  const p = value as Partial<CheckpointPayload> | null;
  if (!p || typeof p !== "object") return undefined;
  const strings = [p.tenant, p.rootHash, p.chainHead, p.issuedAt].every((s) => typeof s === "string");
  return strings && Number.isSafeInteger(p.treeSize) ? (p as CheckpointPayload) : undefined;
}
