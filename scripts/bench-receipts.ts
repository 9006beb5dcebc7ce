/**
 * `npm run bench:receipts`: receipt log append throughput and latency on a real
 * Postgres (BENCH_DATABASE_URL or TEST_DATABASE_URL), against a baseline of plain
 * single-row INSERTs of the same rows with the same concurrency, in the same run.
 * Creates and drops its own database. Prints figures; asserts nothing.
 */
import { migrationsFolder } from "../functions/platform-node";
import type { TenantCtx } from "../shared/context/context";
import type { Receipt } from "../shared/db/schema";
import { receipts } from "../shared/db/schema";
import { systemClock } from "../shared/platform/clock";
import { createPgDatabase } from "../shared/platform/database-pg";
import { adminQuery, databaseUrl } from "../shared/platform/postgres-admin";
import { appendReceipt } from "../shared/receipts/append";
import { jsonDigest } from "../shared/receipts/hashing";
import { genesisChain, nextChain, receiptDigest, receiptLeafHash } from "../shared/receipts/receipt-digest";
import { receiptId } from "../shared/receipts/receipt-id";
import { verifyLog } from "../shared/receipts/verify-log";
import { createTenantWithAdminKey } from "../shared/tenants/seed";

const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!base) {
  console.error(
    "Set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a Postgres server, e.g. postgres://postgres@127.0.0.1:5432/test",
  );
  process.exit(1);
}
const scale = Number(process.env.BENCH_SCALE ?? 1);
const writers = 32;

const admin = (statement: string) => adminQuery(base, statement);

const name = `sb_bench_${process.pid}`;
const url = new URL(databaseUrl(base, name));
await admin(`create database "${name}"`);
const database = createPgDatabase({ url: url.toString(), max: writers + 4 });

/** Runs `total` operations over `concurrency` async writers; returns ops/s and per-op latencies (ms). */
async function run(total: number, concurrency: number, op: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) {
        const t = performance.now();
        await op(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return { perSecond: total / seconds, p50: pct(0.5), p99: pct(0.99) };
}

try {
  await database.migrate(migrationsFolder);
  const db = database.connect().db;
  const tenant = async (slug: string): Promise<TenantCtx> => {
    const { tenantId } = await createTenantWithAdminKey({
      ctx: { db, clock: systemClock },
      input: { slug, name: slug },
    });
    return {
      db,
      clock: systemClock,
      tenant: { id: tenantId, slug, name: slug },
      actor: { type: "api_key", id: "key_bench", role: "admin" },
    } as TenantCtx;
  };
  const input = (i: number) => ({
    kind: "bench.appended",
    subject: `item:${i}`,
    input: { i },
    links: [`evt_${i}`],
    details: { i, note: "a typical receipt: a few ids and counts" },
  });

  // Warm the pool's connections so no run pays for connecting.
  const warm = await tenant("warm");
  await run(writers * 4, writers, (i) => appendReceipt({ ctx: warm, input: input(i) }));

  // Baseline: the same receipt rows, hashed the same way, as plain single-row INSERTs (no lock, no head update).
  const plain = await tenant("plain");
  const plainRow = (i: number): Receipt => {
    const inputDigest = jsonDigest({ i });
    const { kind, subject, links, details } = input(i);
    const fields = {
      tenant: plain.tenant.id,
      seq: i,
      id: receiptId({ tenant: plain.tenant.id, kind, subject, inputDigest }),
      kind,
      actor: "api_key:key_bench",
      subject,
      inputDigest,
      outputDigest: null,
      decisionId: null,
      links,
      details,
      occurredAt: new Date().toISOString(),
    };
    const digest = receiptDigest(fields);
    const { tenant: tenantId, occurredAt, ...rest } = fields;
    return {
      ...rest,
      tenantId,
      occurredAt: new Date(occurredAt),
      digest,
      leafHash: receiptLeafHash(digest),
      chain: nextChain(genesisChain, digest),
    };
  };
  const n = Math.round(4000 * scale);
  const baseline = await run(n, writers, (i) => db.insert(receipts).values(plainRow(i)));

  const one = await tenant("one");
  const single = await run(Math.round(1500 * scale), 1, (i) => appendReceipt({ ctx: one, input: input(i) }));
  const oneMany = await tenant("one-many");
  const contended = await run(n, writers, (i) => appendReceipt({ ctx: oneMany, input: input(i) }));
  // Inside callers' own transactions appends cannot share commits: the lock is held to each caller's commit.
  const inTx = await tenant("in-tx");
  const ungrouped = await run(Math.round(1000 * scale), writers, (i) =>
    db.transaction((tx) => appendReceipt({ ctx: { ...inTx, db: tx }, input: input(i) })),
  );
  const eight = await Promise.all(Array.from({ length: 8 }, (_, t) => tenant(`t${t}`)));
  const spread = await run(n * 2, writers, (i) =>
    appendReceipt({ ctx: eight[i % 8] as TenantCtx, input: input(i) }),
  );

  const checks = await Promise.all(
    [oneMany, inTx, ...eight].map((ctx) =>
      verifyLog({
        ctx: { ...ctx, signer: { kid: "", signJson: async () => "", jwks: () => ({ keys: [] }) } },
      }),
    ),
  );

  const fmt = (x: number) => Math.round(x).toLocaleString("en-US").padStart(8);
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const row = (label: string, r: { perSecond: number; p50: number; p99: number }) =>
    console.log(
      `${label.padEnd(44)} ${fmt(r.perSecond)} /s   ×${(r.perSecond / baseline.perSecond).toFixed(2)} of baseline   p50 ${ms(r.p50)}   p99 ${ms(r.p99)}`,
    );
  console.log(`\nreceipt log benchmark — Postgres ${url.host}, ${writers} writers where concurrent\n`);
  row(`baseline: plain INSERT, ${writers} writers`, baseline);
  row("append: 1 tenant, 1 writer", single);
  row(`append: 1 tenant, ${writers} writers`, contended);
  row(`append: 8 tenants, ${writers} writers`, spread);
  row(`append in caller tx: 1 tenant, ${writers} writers`, ungrouped);
  const worstP99 = Math.max(single.p99, contended.p99, spread.p99);
  console.log(
    `\ntargets: 1 tenant ≥ 2,000/s: ${Math.round(Math.max(single.perSecond, contended.perSecond))} ${Math.max(single.perSecond, contended.perSecond) >= 2000 ? "met" : "MISSED"}` +
      ` | 8 tenants ≥ 0.5× baseline: ${(spread.perSecond / baseline.perSecond).toFixed(2)}× ${spread.perSecond / baseline.perSecond >= 0.5 ? "met" : "MISSED"}` +
      ` | p99 < 20 ms: ${ms(worstP99)} ${worstP99 < 20 ? "met" : "MISSED"}`,
  );
  console.log(
    `logs verified after the run: ${checks.every((c) => c.ok) ? "all ok" : JSON.stringify(checks.filter((c) => !c.ok))}`,
  );
} finally {
  await database.shutdown();
  await admin(`drop database if exists "${name}" with (force)`);
}
