/**
 * What a receipt's hashes are computed over. Shared by the ledger (on append and
 * on verification) and by the offline CLI, so both hash exactly the same bytes.
 */
import { fromHex, jsonDigest, sha256, toHex } from "./hashing";
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
  return jsonDigest({
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
  });
}

export const receiptLeafHash = (digest: string): string => toHex(leafHash(fromHex(digest)));

export const nextChain = (previousChain: string, digest: string): string =>
  toHex(sha256(fromHex(previousChain), fromHex(digest)));
