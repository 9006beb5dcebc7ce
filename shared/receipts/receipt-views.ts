/** Rows → the shapes the API, evidence bundles and the CLI share. */
import type { Checkpoint, Receipt } from "../db/schema";
import type { ReceiptFields, ReceiptView } from "./receipt-digest";

export function receiptFields(row: Receipt): ReceiptFields {
  return {
    tenant: row.tenantId,
    seq: row.seq,
    id: row.id,
    kind: row.kind,
    actor: row.actor,
    subject: row.subject,
    inputDigest: row.inputDigest,
    outputDigest: row.outputDigest,
    decisionId: row.decisionId,
    links: row.links,
    details: row.details,
    occurredAt: row.occurredAt.toISOString(),
  };
}

export function receiptView(row: Receipt): ReceiptView {
  return { ...receiptFields(row), digest: row.digest, leafHash: row.leafHash, chain: row.chain };
}

export interface CheckpointView {
  treeSize: number;
  rootHash: string;
  issuedAt: string;
  kid: string;
  /** Compact JWS (EdDSA, typ `checkpoint+jws`) over {tenant, treeSize, rootHash, chainHead, issuedAt}. */
  jws: string;
}

export function checkpointView(row: Checkpoint): CheckpointView {
  return {
    treeSize: row.treeSize,
    rootHash: row.rootHash,
    issuedAt: row.issuedAt.toISOString(),
    kid: row.kid,
    jws: row.jws,
  };
}

/** What a checkpoint JWS signs. */
export interface CheckpointPayload {
  tenant: string;
  treeSize: number;
  rootHash: string;
  /** The chain value of entry treeSize-1: ties the hash chain to the signed tree. */
  chainHead: string;
  issuedAt: string;
}

export const checkpointTyp = "checkpoint+jws";
