/**
 * Offline verification of an evidence bundle, for the CLI: the checkpoint's
 * signature, every receipt's digest recomputed from its fields, every inclusion
 * proof against the signed root, and the hash chain wherever receipts are consecutive.
 * Reports every failure with the receipt it concerns; trusts nothing unsigned.
 */
import { z } from "zod";
import type { JsonWebKeyWithKid } from "../platform/ports";
import { verifyCheckpointJws } from "./checkpoint-signature";
import { evidenceFormat } from "./evidence-bundle";
import { fromHex, isHashHex } from "./hashing";
import { verifyInclusion } from "./merkle-verify";
import { genesisChain, nextChain, receiptDigest, receiptLeafHash } from "./receipt-digest";

export interface BundleFailure {
  receiptId?: string;
  seq?: number;
  reason: string;
}

export interface BundleReport {
  ok: boolean;
  receipts: number;
  treeSize: number | null;
  failures: BundleFailure[];
}

const receiptShape = z.object({
  tenant: z.string(),
  seq: z.number().int().nonnegative(),
  id: z.string(),
  kind: z.string(),
  actor: z.string(),
  subject: z.string(),
  inputDigest: z.string(),
  outputDigest: z.string().nullable(),
  decisionId: z.string().nullable(),
  links: z.array(z.string()),
  details: z.record(z.string(), z.unknown()),
  occurredAt: z.string(),
  digest: z.string(),
  leafHash: z.string(),
  chain: z.string(),
  inclusion: z.object({ leafIndex: z.number(), treeSize: z.number(), path: z.array(z.string()) }),
});

const bundleShape = z.object({
  format: z.string(),
  tenant: z.object({ id: z.string() }),
  exportReceiptId: z.string(),
  checkpoint: z.object({ treeSize: z.number(), rootHash: z.string(), jws: z.string() }),
  keys: z.object({ keys: z.array(z.object({ kty: z.string(), kid: z.string() }).loose()) }),
  receipts: z.array(receiptShape),
});

type BundledReceipt = z.infer<typeof receiptShape>;

/** `keys` pins the verification keys (e.g. the service's published JWKS) instead of the bundle's own. */
export async function verifyEvidenceBundle(
  raw: unknown,
  options: { keys?: JsonWebKeyWithKid[] } = {},
): Promise<BundleReport> {
  const parsed = bundleShape.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "(root)";
    return {
      ok: false,
      receipts: 0,
      treeSize: null,
      failures: [{ reason: `the bundle is malformed at ${where}: ${issue?.message}` }],
    };
  }
  const bundle = parsed.data;
  const failures: BundleFailure[] = [];
  if (bundle.format !== evidenceFormat)
    failures.push({ reason: `unknown format ${bundle.format}; expected ${evidenceFormat}` });

  const signature = await verifyCheckpointJws(
    bundle.checkpoint.jws,
    options.keys ?? (bundle.keys.keys as JsonWebKeyWithKid[]),
  );
  if (!signature.ok) failures.push({ reason: `checkpoint: ${signature.reason}` });
  const signed = signature.ok ? signature.payload : undefined;
  if (
    signed &&
    (signed.tenant !== bundle.tenant.id ||
      signed.treeSize !== bundle.checkpoint.treeSize ||
      signed.rootHash !== bundle.checkpoint.rootHash)
  ) {
    failures.push({
      reason: "checkpoint: the bundle's tenant, tree size or root differ from what the JWS signs",
    });
  }
  // Without a valid signature the proofs are still checked, against the unsigned root, to say what else is wrong.
  const treeSize = signed?.treeSize ?? bundle.checkpoint.treeSize;
  const rootHash = signed?.rootHash ?? bundle.checkpoint.rootHash;
  const tenant = signed?.tenant ?? bundle.tenant.id;

  const receipts = [...bundle.receipts].sort((a, b) => a.seq - b.seq);
  let previous: BundledReceipt | undefined;
  for (const r of receipts) {
    const fail = (reason: string) => failures.push({ receiptId: r.id, seq: r.seq, reason });
    if (previous?.seq === r.seq) fail("the bundle holds two receipts with this seq");
    const problem = receiptProblem(r, { tenant, treeSize, rootHash });
    if (problem) fail(problem);
    else {
      const chainProblem = chainProblemOf(r, previous, signed?.chainHead, treeSize);
      if (chainProblem) fail(chainProblem);
    }
    previous = r;
  }
  if (!receipts.some((r) => r.id === bundle.exportReceiptId)) {
    failures.push({
      receiptId: bundle.exportReceiptId,
      reason: "the export's own evidence.exported receipt is missing",
    });
  }
  return { ok: failures.length === 0, receipts: receipts.length, treeSize, failures };
}

function receiptProblem(
  r: BundledReceipt,
  signed: { tenant: string; treeSize: number; rootHash: string },
): string | undefined {
  if (r.tenant !== signed.tenant)
    return `belongs to tenant ${r.tenant}, not the checkpoint's ${signed.tenant}`;
  const digest = receiptDigest(r);
  if (digest !== r.digest)
    return "digest mismatch: the receipt's fields do not hash to its digest (the receipt was altered)";
  if (receiptLeafHash(digest) !== r.leafHash)
    return "leaf hash mismatch: the leaf hash is not the hash of the digest";
  if (r.inclusion.leafIndex !== r.seq || r.inclusion.treeSize !== signed.treeSize) {
    return `the inclusion proof is for leaf ${r.inclusion.leafIndex} of ${r.inclusion.treeSize}, not leaf ${r.seq} of ${signed.treeSize}`;
  }
  const bad = r.inclusion.path.findIndex((h) => !isHashHex(h));
  if (bad >= 0) return `inclusion proof: path[${bad}] is not a hex SHA-256`;
  if (!isHashHex(signed.rootHash)) return "the checkpoint root is not a hex SHA-256";
  const check = verifyInclusion({
    leafIndex: r.seq,
    treeSize: signed.treeSize,
    leafHash: fromHex(r.leafHash),
    proof: r.inclusion.path.map(fromHex),
    root: fromHex(signed.rootHash),
  });
  return check.ok ? undefined : `inclusion proof: ${check.reason}`;
}

function chainProblemOf(
  r: BundledReceipt,
  previous: BundledReceipt | undefined,
  chainHead: string | undefined,
  treeSize: number,
): string | undefined {
  if (!isHashHex(r.chain)) return "the chain value is not a hex SHA-256";
  const before = r.seq === 0 ? genesisChain : previous?.seq === r.seq - 1 ? previous.chain : undefined;
  if (before !== undefined && isHashHex(before) && nextChain(before, r.digest) !== r.chain) {
    return `chain break: does not follow from seq ${r.seq - 1}`;
  }
  if (chainHead !== undefined && r.seq === treeSize - 1 && r.chain !== chainHead) {
    return "chain break: the last entry's chain differs from the signed chain head";
  }
  return undefined;
}
