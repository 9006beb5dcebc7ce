/**
 * What a receipt's hashes are computed over. Shared by the ledger (on append and
 * on verification) and by the offline CLI, so both hash exactly the same bytes.
 */
import { canonicalJson } from "./canonical-json";
import { fromHex, sha256, sha256Hex, toHex } from "./hashing";
import { leafHash } from "./merkle";

/** The fields covered by `digest`, as they appear in the API and in evidence bundles. */
export interface ReceiptFields {
  tenant: string;
  seq: number;
  id: string;
  kind: string;
  actor: string;
  subject: string;
  inputDigest: string;
  outputDigest: string | null;
  decisionId: string | null;
  links: string[];
  details: Record<string, unknown>;
  /** ISO 8601 UTC with milliseconds. */
  occurredAt: string;
}

export interface ReceiptView extends ReceiptFields {
  /** SHA-256 of the RFC 8785 form of the fields above (hex). */
  digest: string;
  /** RFC 6962 leaf: SHA-256(0x00 ‖ digest bytes) (hex). */
  leafHash: string;
  /** SHA-256(previous chain ‖ digest bytes) (hex); the chain before seq 0 is 32 zero bytes. */
  chain: string;
}

export const genesisChain = "0".repeat(64);

/** Picks exactly the covered fields, so extra members (a proof, a view's additions) never change the digest. */
export function receiptDigest(r: ReceiptFields): string {
  return sha256Hex(receiptCanonicalJson(r));
}

/**
 * The RFC 8785 form of the covered fields. Every receipt is hashed on append and
 * on each verification, so the fixed members are written directly, in JCS's
 * (UTF-16 code unit) key order; `details` and `links` go through the general
 * canonicalizer. Anything not of the expected types (a hand-edited bundle) takes
 * the general path for the whole object, so both give the same bytes for any input
 * (a unit test holds them equal).
 */
export function receiptCanonicalJson(r: ReceiptFields): string {
  if (!hasPlainFields(r)) return canonicalJson(coveredFields(r));
  return `{"actor":${JSON.stringify(r.actor)},"decisionId":${JSON.stringify(r.decisionId)},"details":${canonicalJson(r.details)},"id":${JSON.stringify(r.id)},"inputDigest":${JSON.stringify(r.inputDigest)},"kind":${JSON.stringify(r.kind)},"links":${canonicalJson(r.links)},"occurredAt":${JSON.stringify(r.occurredAt)},"outputDigest":${JSON.stringify(r.outputDigest)},"seq":${r.seq},"subject":${JSON.stringify(r.subject)},"tenant":${JSON.stringify(r.tenant)}}`;
}

const wellFormed = (value: unknown): boolean => typeof value === "string" && value.isWellFormed();
const wellFormedOrNull = (value: unknown): boolean => value === null || wellFormed(value);

/** Strings without lone surrogates (JSON.stringify then writes exactly what JCS does), a safe integer seq. */
function hasPlainFields(r: ReceiptFields): boolean {
  return (
    Number.isSafeInteger(r.seq) &&
    wellFormed(r.tenant) &&
    wellFormed(r.id) &&
    wellFormed(r.kind) &&
    wellFormed(r.actor) &&
    wellFormed(r.subject) &&
    wellFormed(r.inputDigest) &&
    wellFormed(r.occurredAt) &&
    wellFormedOrNull(r.outputDigest) &&
    wellFormedOrNull(r.decisionId)
  );
}

/** Exactly the fields the digest covers (a view's or a bundle's extra members dropped). */
export function coveredFields(r: ReceiptFields): ReceiptFields {
  return {
    tenant: r.tenant,
    seq: r.seq,
    id: r.id,
    kind: r.kind,
    actor: r.actor,
    subject: r.subject,
    inputDigest: r.inputDigest,
    outputDigest: r.outputDigest,
    decisionId: r.decisionId,
    links: r.links,
    details: r.details,
    occurredAt: r.occurredAt,
  };
}

export const receiptLeafHash = (digest: string): string => toHex(leafHash(fromHex(digest)));

export const nextChain = (previousChain: string, digest: string): string =>
  toHex(chainHash(fromHex(previousChain), fromHex(digest)));

export const chainHash = (previousChain: Uint8Array, digest: Uint8Array): Uint8Array =>
  sha256(previousChain, digest);
