/** The evidence bundle format: one JSON file a partner verifies offline. */
import type { JsonWebKeyWithKid } from "../platform/ports";
import type { ReceiptView } from "./receipt-digest";
import type { CheckpointView } from "./receipt-views";

export const evidenceFormat = "switchboard.evidence/v1";

export interface BundledReceipt extends ReceiptView {
  /** Audit path from this receipt's leaf to the bundle checkpoint's root (hex, leaf first). */
  inclusion: { leafIndex: number; treeSize: number; path: string[] };
}

export interface EvidenceBundle {
  format: typeof evidenceFormat;
  tenant: { id: string; slug: string; name: string };
  /** The requested time range; receipts with from ≤ occurredAt < to. Null ends are open. */
  range: { from: string | null; to: string | null };
  exportedAt: string;
  /** The `evidence.exported` receipt this export left; it is in `receipts` and under the checkpoint. */
  exportReceiptId: string;
  checkpoint: CheckpointView;
  /** Public keys that verify the checkpoint JWS (the service's JWKS at export time). */
  keys: { keys: JsonWebKeyWithKid[] };
  /** Oldest first. */
  receipts: BundledReceipt[];
}
