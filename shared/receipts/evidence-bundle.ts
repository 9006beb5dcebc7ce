/** The evidence bundle format: one JSON file a partner verifies offline. */
import type { JsonWebKeyWithKid } from "../platform/ports";
import type { ReceiptView } from "./receipt-digest";
import type { CheckpointView } from "./receipt-views";

export const evidenceFormat = "switchboard.evidence/v1";

export interface BundledReceipt extends ReceiptView {
  /** Audit path from this receipt's leaf to the bundle checkpoint's root (hex, leaf first). */
  inclusion: { leafIndex: number; treeSize: number; path: string[] };
}

/**
 * What a bundle holds, stated twice: in the bundle's `range` and in the `details` of its
 * `evidence.exported` receipt, which the signed checkpoint covers. The receipts of the range
 * are every seq from `firstSeq` to `lastSeq` (null, null and 0 when the range is empty).
 */
export interface ExportedRange {
  /** Inclusive lower bound on `occurredAt`, as requested; null is open. */
  from: string | null;
  /** Exclusive upper bound on `occurredAt`, as requested; null is open. */
  to: string | null;
  firstSeq: number | null;
  lastSeq: number | null;
}

/** The `details` of an `evidence.exported` receipt. */
export interface ExportDetails extends ExportedRange {
  /** How many receipts the range holds: lastSeq - firstSeq + 1, or 0. */
  receipts: number;
  /** The export request's id, for finding its log lines. */
  requestId: string | null;
}

export interface EvidenceBundle {
  format: typeof evidenceFormat;
  tenant: { id: string; slug: string; name: string };
  /**
   * The requested time range and the seqs it covers: the first and the last receipt with
   * from ≤ occurredAt < to in the log as it stood when the export began, and every receipt between.
   */
  range: ExportedRange;
  exportedAt: string;
  /**
   * The `evidence.exported` receipt this export left; it is in `receipts` (after the range) and
   * under the checkpoint, and its details record the range and the count.
   */
  exportReceiptId: string;
  checkpoint: CheckpointView;
  /** Public keys that verify the checkpoint JWS (the service's JWKS at export time). */
  keys: { keys: JsonWebKeyWithKid[] };
  /** Oldest first: seq firstSeq … lastSeq, then the export receipt. */
  receipts: BundledReceipt[];
}

const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isBound = (v: unknown): v is string | null => v === null || typeof v === "string";

/** An `evidence.exported` receipt's details, or undefined when they do not record an export. */
export function exportDetailsOf(details: unknown): ExportDetails | undefined {
  if (!details || typeof details !== "object") return undefined;
  const d = details as Record<string, unknown>;
  const { from, to, firstSeq, lastSeq, receipts, requestId } = d;
  if (!isBound(from) || !isBound(to) || !isSeq(receipts)) return undefined;
  if (requestId !== undefined && !isBound(requestId)) return undefined;
  const empty = firstSeq === null && lastSeq === null && receipts === 0;
  const spanned = isSeq(firstSeq) && isSeq(lastSeq) && firstSeq <= lastSeq;
  if (!empty && !spanned) return undefined;
  return {
    from,
    to,
    firstSeq: firstSeq as number | null,
    lastSeq: lastSeq as number | null,
    receipts,
    requestId: requestId ?? null,
  };
}

/**
 * The streamed bundle, for ranges of any length: JSON Lines (`application/x-ndjson`).
 * Line 1 is the header; then one `receipt` line per seq firstSeq … lastSeq in order,
 * without per-receipt proofs; then an `end` line with the count. The range is proved
 * as a whole: `rangeProof` holds the O(log n) subtree roots beside it, and the
 * verifier hashes the streamed leaves with them to the signed root (merkle-range.ts).
 */
export const evidenceStreamFormat = "switchboard.evidence/v2";

export interface EvidenceStreamHeader {
  type: "header";
  format: typeof evidenceStreamFormat;
  tenant: { id: string; slug: string; name: string };
  range: ExportedRange;
  exportedAt: string;
  checkpoint: CheckpointView;
  /** For reference only; verify against keys obtained independently. */
  keys: { keys: JsonWebKeyWithKid[] };
  /** Subtree roots beside leaves firstSeq … lastSeq in the checkpoint's tree (hex, walk order); [] for an empty range. */
  rangeProof: string[];
  /** The `evidence.exported` receipt (after the range), with its own inclusion proof. */
  exportReceipt: BundledReceipt;
}

export type EvidenceStreamLine =
  | EvidenceStreamHeader
  | ({ type: "receipt" } & ReceiptView)
  | { type: "end"; receipts: number };
