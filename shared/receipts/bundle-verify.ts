/**
 * Offline verification of an evidence bundle, for the CLI: the checkpoint's
 * signature against keys the caller supplies, every receipt's digest recomputed
 * from its fields, every inclusion proof against the signed root, the hash chain
 * between consecutive receipts, and completeness: the receipts are every seq of
 * the range the export receipt records, as many as it counts, all under the
 * checkpoint. Reports every failure with the receipt it concerns; trusts nothing unsigned.
 */
import { z } from "zod";
import type { JsonWebKeyWithKid } from "../platform/ports";
import { verifyCheckpointJws } from "./checkpoint-signature";
import { type ExportedRange, evidenceFormat, exportDetailsOf } from "./evidence-bundle";
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
  /** Whose keys the signature was checked against: the caller's, or the bundle's own (proves nothing about who signed). */
  keySource: "supplied" | "embedded";
  receipts: number;
  treeSize: number | null;
  failures: BundleFailure[];
}

export const receiptShape = z.object({
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
  range: z.object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    firstSeq: z.number().int().nonnegative().nullable(),
    lastSeq: z.number().int().nonnegative().nullable(),
  }),
  exportReceiptId: z.string(),
  checkpoint: z.object({ treeSize: z.number(), rootHash: z.string(), jws: z.string() }),
  keys: z.object({ keys: z.array(z.object({ kty: z.string(), kid: z.string() }).loose()) }),
  receipts: z.array(receiptShape),
});

export type BundledReceipt = z.infer<typeof receiptShape>;

/**
 * The keys to check the checkpoint against: the service's published JWKS, obtained by the
 * caller. Or, only when asked for explicitly, the keys inside the bundle, which anyone who
 * forges a bundle also writes: that checks the bundle is self-consistent, not who signed it.
 */
export type BundleKeys = { keys: JsonWebKeyWithKid[] } | { trustEmbeddedKeys: true };

export async function verifyEvidenceBundle(raw: unknown, options: BundleKeys): Promise<BundleReport> {
  const keySource = "keys" in options ? "supplied" : "embedded";
  const parsed = bundleShape.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "(root)";
    return {
      ok: false,
      keySource,
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
    "keys" in options ? options.keys : (bundle.keys.keys as JsonWebKeyWithKid[]),
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
  failures.push(...completenessProblems(bundle.range, bundle.exportReceiptId, receipts));
  return { ok: failures.length === 0, keySource, receipts: receipts.length, treeSize, failures };
}

const spanText = (first: number | null, last: number | null) =>
  first === null || last === null ? "no receipts" : `seq ${first}–${last}`;

/**
 * The export receipt (its digest and inclusion are checked with the others) records the range
 * and the count; the bundle must state the same range and hold exactly its receipts.
 */
export function completenessProblems(
  range: ExportedRange,
  exportReceiptId: string,
  receipts: BundledReceipt[],
): BundleFailure[] {
  const own = receipts.find((r) => r.id === exportReceiptId);
  if (!own) {
    return [{ receiptId: exportReceiptId, reason: "the export's own evidence.exported receipt is missing" }];
  }
  const about = { receiptId: own.id, seq: own.seq };
  const recorded = own.kind === "evidence.exported" ? exportDetailsOf(own.details) : undefined;
  if (!recorded) {
    return [{ ...about, reason: "the export receipt does not record an exported range and count" }];
  }
  const failures: BundleFailure[] = [];
  const edited = (["from", "to", "firstSeq", "lastSeq"] as const).filter((k) => range[k] !== recorded[k]);
  if (edited.length > 0) {
    const what = edited.map(
      (k) => `${k} ${JSON.stringify(range[k])} (receipt: ${JSON.stringify(recorded[k])})`,
    );
    failures.push({
      ...about,
      reason: `range edited: the bundle's range differs from the one its export receipt records: ${what.join(", ")}`,
    });
  }
  const { firstSeq: first, lastSeq: last } = recorded;
  const spanSize = first === null || last === null ? 0 : last - first + 1;
  if (recorded.receipts !== spanSize) {
    failures.push({
      ...about,
      reason: `count mismatch: the export receipt counts ${recorded.receipts} receipts but its range (${spanText(first, last)}) holds ${spanSize}`,
    });
  }
  if (last !== null && own.seq <= last) {
    failures.push({
      ...about,
      reason: `the export receipt is not after its range (${spanText(first, last)})`,
    });
  }
  const inRange = new Set<number>();
  for (const r of receipts) {
    if (r === own) continue;
    if (first === null || last === null || r.seq < first || r.seq > last) {
      failures.push({
        receiptId: r.id,
        seq: r.seq,
        reason: `outside the exported range (${spanText(first, last)})`,
      });
    } else inRange.add(r.seq);
  }
  if (first !== null && last !== null && inRange.size < spanSize) {
    const missing: number[] = [];
    for (let seq = first; seq <= last && missing.length < 10; seq++) if (!inRange.has(seq)) missing.push(seq);
    const more = spanSize - inRange.size - missing.length;
    failures.push({
      ...about,
      reason: `receipts missing: the bundle holds ${inRange.size} of the ${spanSize} receipts of ${spanText(first, last)}; absent: seq ${missing.join(", ")}${more > 0 ? ` and ${more} more` : ""}`,
    });
  }
  return failures;
}

export function receiptProblem(
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
