/**
 * `npm run bench:proofs`: receipt proofs from the stored tree on a real Postgres
 * (BENCH_DATABASE_URL or TEST_DATABASE_URL), at 10k, 100k and 1M receipts (one
 * tenant log each, seeded by COPY, its tree built by the same paged pass that
 * builds an older log's tree). Measures the inclusion proof (`GET /v1/receipts/{id}`'s
 * verb), the consistency proof between checkpoints (`/v1/checkpoints/consistency`'s
 * verb), issuing a checkpoint, and an old checkpoint's root; against the full rebuild
 * from every leaf, in the same run, up to BENCH_BASELINE_MAX receipts (default 100k:
 * at 1M the rebuild takes seconds and GBs per request; set it to 1000000 to measure it).
 * Creates and drops its own database. Prints figures; asserts nothing.
 */
import { migrationsFolder } from "../functions/platform-node";
import type { TenantCtx } from "../shared/context/context";
import { checkpoints } from "../shared/db/schema";
import { systemClock } from "../shared/platform/clock";
import { createPgDatabase } from "../shared/platform/database-pg";
import { adminQuery, databaseUrl } from "../shared/platform/postgres-admin";
import { createSigner, generateSigningKey } from "../shared/platform/signer";
import { checkpointConsistency, issueCheckpoint } from "../shared/receipts/checkpoints";
import { fromHex, toHex } from "../shared/receipts/hashing";
import { loadLogTree } from "../shared/receipts/log-tree";
import { rootOf } from "../shared/receipts/merkle";
import { verifyConsistency, verifyInclusion } from "../shared/receipts/merkle-verify";
import { getReceiptWithProof } from "../shared/receipts/receipt-proofs";
import { proveFromStore } from "../shared/receipts/tree/stored-tree";
import { createTenantWithAdminKey } from "../shared/tenants/seed";
import { seedReceiptLog } from "./bench/receipt-log-seed";

const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!base) {
  console.error(
    "Set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a Postgres server, e.g. postgres://postgres@127.0.0.1:5432/test",
  );
  process.exit(1);
}
const sizes = (process.env.BENCH_PROOF_SIZES ?? "10000,100000,1000000").split(",").map(Number);
const baselineMax = Number(process.env.BENCH_BASELINE_MAX ?? 100_000);
const samples = Number(process.env.BENCH_SAMPLES ?? 300);
const baselineSamples = 3;

const name = `sb_bench_proofs_${process.pid}`;
const url = databaseUrl(base, name);
await adminQuery(base, `create database "${name}"`);
const database = createPgDatabase({ url, max: 4 });

/** Seeded, so runs pick the same leaves. */
function random(seed: number) {
  let a = seed >>> 0;
  return (below: number) => {
    a = (a * 1664525 + 1013904223) >>> 0;
    return Math.floor((a / 4294967296) * below);
  };
}

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t = performance.now();
  const result = await f();
  return { ms: performance.now() - t, result };
}

function stats(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
  return { p50: pct(0.5), p95: pct(0.95), max: sorted.at(-1) ?? 0 };
}

interface SizeResult {
  size: number;
  seedSeconds: number;
  treeSeconds: number;
  inclusion: ReturnType<typeof stats>;
  consistency: ReturnType<typeof stats>;
  oldRoot: ReturnType<typeof stats>;
  issueMs: number;
  baseline?: { p50: number; max: number; rssMb: number };
}

const results: SizeResult[] = [];
try {
  await database.migrate(migrationsFolder);
  const db = database.connect().db;
  const signer = await createSigner([await generateSigningKey()]);
  for (const size of sizes) {
    const slug = `proofs-${size}`;
    const { tenantId } = await createTenantWithAdminKey({
      ctx: { db, clock: systemClock },
      input: { slug, name: slug },
    });
    process.stdout.write(`seeding ${size.toLocaleString("en-US")} receipts… `);
    const log = await seedReceiptLog({ url, db, tenantId, size });
    console.log(`rows ${log.rowsSeconds.toFixed(1)} s, tree ${log.treeSeconds.toFixed(1)} s`);
    const ctx = {
      db,
      clock: systemClock,
      signer,
      tenant: { id: tenantId, slug, name: slug },
      actor: { type: "api_key", id: "key_bench", role: "admin" },
    } as unknown as TenantCtx;
    const next = random(size);

    const issued = await timed(() => issueCheckpoint({ ctx }));
    const checkpoint = issued.result.checkpoint;
    if (checkpoint.rootHash !== log.rootHash) throw new Error("the checkpoint does not sign the seeded root");

    // Inclusion: the whole verb (find the receipt, its checkpoint, the proof); every proof checked.
    const inclusion: number[] = [];
    for (let i = 0; i < samples; i++) {
      const seq = next(size);
      const { ms, result } = await timed(() => getReceiptWithProof({ ctx, id: log.idAt(seq) }));
      inclusion.push(ms);
      const ok = verifyInclusion({
        leafIndex: seq,
        treeSize: size,
        leafHash: fromHex(result.inclusion.leafHash),
        proof: result.inclusion.path.map(fromHex),
        root: fromHex(checkpoint.rootHash),
      }).ok;
      if (!ok) throw new Error(`inclusion proof of seq ${seq} does not verify`);
    }

    // Older checkpoints at random sizes (their roots from the stored tree, timed: a checkpoint read at any size).
    const oldRoot: number[] = [];
    const olderSizes: number[] = [];
    for (let i = 0; i < Math.min(samples, 100); i++) {
      const older = 1 + next(size - 1);
      const { ms, result } = await timed(() => proveFromStore(db, tenantId, (node) => rootOf(node, older)));
      oldRoot.push(ms);
      olderSizes.push(older);
      await db
        .insert(checkpoints)
        .values({
          tenantId,
          treeSize: older,
          rootHash: toHex(result),
          issuedAt: new Date(),
          kid: "bench",
          jws: "bench",
        })
        .onConflictDoNothing();
    }
    const consistency: number[] = [];
    for (let i = 0; i < samples; i++) {
      const from = olderSizes[i % olderSizes.length] ?? 1;
      const { ms, result } = await timed(() => checkpointConsistency({ ctx, input: { from, to: size } }));
      consistency.push(ms);
      const ok = verifyConsistency({
        size1: from,
        size2: size,
        root1: fromHex(result.from.rootHash),
        root2: fromHex(checkpoint.rootHash),
        proof: result.proof.map(fromHex),
      }).ok;
      if (!ok) throw new Error(`consistency proof ${from} → ${size} does not verify`);
    }

    const result: SizeResult = {
      size,
      seedSeconds: log.rowsSeconds,
      treeSeconds: log.treeSeconds,
      inclusion: stats(inclusion),
      consistency: stats(consistency),
      oldRoot: stats(oldRoot),
      issueMs: issued.ms,
    };
    if (size <= baselineMax) {
      // The full rebuild the service did before: every leaf read and hashed, per request.
      const rebuild: number[] = [];
      let peak = 0;
      for (let i = 0; i < baselineSamples; i++) {
        const seq = next(size);
        const before = process.memoryUsage.rss();
        const { ms, result: path } = await timed(async () =>
          (await loadLogTree(db, tenantId, size)).inclusionProof(seq).map(toHex),
        );
        peak = Math.max(peak, process.memoryUsage.rss() - before);
        rebuild.push(ms);
        const stored = await getReceiptWithProof({ ctx, id: log.idAt(seq) });
        if (stored.inclusion.path.join() !== path.join()) throw new Error(`seq ${seq}: the paths differ`);
      }
      const s = stats(rebuild);
      result.baseline = { p50: s.p50, max: s.max, rssMb: peak / 1e6 };
    }
    results.push(result);
  }

  const ms = (x: number) => `${x.toFixed(2)} ms`.padStart(10);
  const n = (x: number) => x.toLocaleString("en-US").padStart(10);
  console.log(
    `\nreceipt proofs benchmark — Postgres ${new URL(url).host}, ${samples} proofs of each kind a size\n`,
  );
  console.log(
    `${"receipts".padStart(10)}  ${"inclusion p50".padStart(13)} ${"p95".padStart(10)}  ${"consistency p50".padStart(15)} ${"p95".padStart(10)}  ${"old root p95".padStart(12)}  ${"issue".padStart(10)}  ${"full rebuild p50".padStart(16)}  ×`,
  );
  for (const r of results) {
    const baseline = r.baseline
      ? `${ms(r.baseline.p50).padStart(16)}  ${(r.baseline.p50 / r.inclusion.p95).toFixed(0)}× slower than the p95 (+${r.baseline.rssMb.toFixed(0)} MB RSS)`
      : `${"not run".padStart(16)}  (above BENCH_BASELINE_MAX)`;
    console.log(
      `${n(r.size)}  ${ms(r.inclusion.p50).padStart(13)} ${ms(r.inclusion.p95)}  ${ms(r.consistency.p50).padStart(15)} ${ms(r.consistency.p95)}  ${ms(r.oldRoot.p95).padStart(12)}  ${ms(r.issueMs)}  ${baseline}`,
    );
  }
  console.log(
    `\nseeding: ${results.map((r) => `${n(r.size).trim()}: rows ${r.seedSeconds.toFixed(1)} s, tree built ${r.treeSeconds.toFixed(1)} s`).join("; ")}`,
  );
  const first = results[0];
  const last = results.at(-1);
  if (first && last) {
    const worst = Math.max(last.inclusion.p95, last.consistency.p95);
    const growth = Math.max(
      last.inclusion.p95 / first.inclusion.p95,
      last.consistency.p95 / first.consistency.p95,
    );
    console.log(
      `targets: proof p95 < 20 ms at ${n(last.size).trim()}: ${ms(worst).trim()} ${worst < 20 ? "met" : "MISSED"}` +
        ` | growth ${n(first.size).trim()} → ${n(last.size).trim()} ≤ 2×: ${growth.toFixed(2)}× ${growth <= 2 ? "met" : "MISSED"}`,
    );
  }
} finally {
  await database.shutdown();
  await adminQuery(base, `drop database if exists "${name}" with (force)`);
}
