/**
 * Offline verification of a streamed evidence bundle (JSON Lines, format v2), read
 * line by line: memory stays O(log n) whatever the range's length. The header's
 * checkpoint signature (against the caller's keys), the export receipt (digest,
 * inclusion proof, the range and count it records), then every receipt of the
 * range in seq order (shape, tenant, digest, leaf, the chain between neighbours),
 * hashed through the range proof to the signed root: a receipt altered, missing,
 * added or moved leads elsewhere. Reports failures as the JSON bundle's verifier does.
 */
import { z } from "zod";
import type { JsonWebKeyWithKid } from "../platform/ports";
import {
  type BundleFailure,
  type BundleKeys,
  type BundleReport,
  completenessProblems,
  receiptProblem,
  receiptShape,
} from "./bundle-verify";
import { verifyCheckpointJws } from "./checkpoint-signature";
import { evidenceStreamFormat } from "./evidence-bundle";
import { equalBytes, fromHex, type Hash, isHashHex } from "./hashing";
import { leafHash } from "./merkle";
import { rootFromRange } from "./merkle-range";
import { genesisChain, nextChain, receiptDigest } from "./receipt-digest";

const headerShape = z.object({
  type: z.literal("header"),
  format: z.string(),
  tenant: z.object({ id: z.string() }),
  range: z.object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    firstSeq: z.number().int().nonnegative().nullable(),
    lastSeq: z.number().int().nonnegative().nullable(),
  }),
  checkpoint: z.object({ treeSize: z.number().int().positive(), rootHash: z.string(), jws: z.string() }),
  keys: z.object({ keys: z.array(z.object({ kty: z.string(), kid: z.string() }).loose()) }),
  rangeProof: z.array(z.string()),
  exportReceipt: receiptShape,
});

const lineShape = receiptShape.omit({ inclusion: true }).extend({ type: z.literal("receipt") });
const endShape = z.object({ type: z.literal("end"), receipts: z.number().int().nonnegative() });

/** Enough to act on; a bundle wrong everywhere should not fill memory with failures. */
const maxFailures = 100;

/** True when the first line of a file is a streamed bundle's header. */
export function isStreamHeader(line: string): boolean {
  try {
    const value = JSON.parse(line) as { type?: unknown; format?: unknown };
    return value.type === "header" && value.format === evidenceStreamFormat;
  } catch {
    return false;
  }
}

export async function verifyEvidenceStream(
  lines: AsyncIterable<string>,
  options: BundleKeys,
): Promise<BundleReport> {
  const keySource = "keys" in options ? "supplied" : "embedded";
  const failures: BundleFailure[] = [];
  const report = (receipts: number, treeSize: number | null): BundleReport => ({
    ok: failures.length === 0,
    keySource,
    receipts,
    treeSize,
    failures: failures.slice(0, maxFailures),
  });
  const iterator = lines[Symbol.asyncIterator]();
  const nextLine = async (): Promise<unknown> => {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      if (r.value.trim() === "") continue;
      try {
        return JSON.parse(r.value);
      } catch {
        return { type: "unparsable" };
      }
    }
    return undefined;
  };

  const parsed = headerShape.safeParse(await nextLine());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    failures.push({
      reason: `the bundle's header is malformed at ${issue?.path.join(".") || "(root)"}: ${issue?.message}`,
    });
    return report(0, null);
  }
  const header = parsed.data;
  if (header.format !== evidenceStreamFormat)
    failures.push({ reason: `unknown format ${header.format}; expected ${evidenceStreamFormat}` });
  const signature = await verifyCheckpointJws(
    header.checkpoint.jws,
    "keys" in options ? options.keys : (header.keys.keys as JsonWebKeyWithKid[]),
  );
  if (!signature.ok) failures.push({ reason: `checkpoint: ${signature.reason}` });
  const signed = signature.ok ? signature.payload : undefined;
  if (
    signed &&
    (signed.tenant !== header.tenant.id ||
      signed.treeSize !== header.checkpoint.treeSize ||
      signed.rootHash !== header.checkpoint.rootHash)
  ) {
    failures.push({
      reason: "checkpoint: the bundle's tenant, tree size or root differ from what the JWS signs",
    });
  }
  const treeSize = signed?.treeSize ?? header.checkpoint.treeSize;
  const rootHash = signed?.rootHash ?? header.checkpoint.rootHash;
  const tenant = signed?.tenant ?? header.tenant.id;
  const own = header.exportReceipt;
  const ownProblem = receiptProblem(own, { tenant, treeSize, rootHash });
  if (ownProblem) failures.push({ receiptId: own.id, seq: own.seq, reason: ownProblem });
  // The range and count the export receipt records, against the bundle's; the receipts are checked below.
  failures.push(
    ...completenessProblems(header.range, own.id, [own]).filter(
      (f) => !f.reason.startsWith("receipts missing"),
    ),
  );

  const { firstSeq: first, lastSeq: last } = header.range;
  let count = 0;
  if (first !== null && last !== null && isHashHex(rootHash) && header.rangeProof.every(isHashHex)) {
    let expected = first;
    let chain: string | undefined = first === 0 ? genesisChain : undefined;
    const nextLeaf = async (): Promise<Hash> => {
      const seq = expected++;
      const line = lineShape.safeParse(await nextLine());
      if (!line.success) throw new Error(`the bundle ends or breaks off before seq ${seq}`);
      const r = line.data;
      count++;
      const fail = (reason: string) => {
        if (failures.length < maxFailures) failures.push({ receiptId: r.id, seq: r.seq, reason });
      };
      if (r.seq !== seq) fail(`out of place: expected seq ${seq} here`);
      if (r.tenant !== tenant) fail(`belongs to tenant ${r.tenant}, not the checkpoint's ${tenant}`);
      const digest = receiptDigest(r);
      if (digest !== r.digest)
        fail("digest mismatch: the receipt's fields do not hash to its digest (the receipt was altered)");
      if (chain !== undefined && isHashHex(digest) && nextChain(chain, digest) !== r.chain)
        fail(`chain break: does not follow from seq ${seq - 1}`);
      chain = isHashHex(r.chain) ? r.chain : undefined;
      return leafHash(fromHex(digest));
    };
    try {
      const root = await rootFromRange({
        first,
        end: last + 1,
        size: treeSize,
        proof: header.rangeProof.map(fromHex),
        nextLeaf,
      });
      if (!equalBytes(root, fromHex(rootHash))) {
        failures.push({
          reason: `range proof: the receipts of seq ${first}–${last} do not lead to the signed root (a receipt altered, missing, added or moved)`,
        });
      }
    } catch (error) {
      failures.push({ reason: `range proof: ${(error as Error).message}` });
    }
  } else if (first !== null) {
    failures.push({ reason: "range proof: the root or a proof hash is not a hex SHA-256" });
  }
  const end = endShape.safeParse(await nextLine());
  if (!end.success)
    failures.push({ reason: "the bundle does not end where its range does (an `end` line expected)" });
  else if (end.data.receipts !== count)
    failures.push({ reason: `the end line counts ${end.data.receipts} receipts; the bundle holds ${count}` });
  if ((await nextLine()) !== undefined) failures.push({ reason: "lines follow the bundle's end" });
  return report(count + 1, treeSize);
}
