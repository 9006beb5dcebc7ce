/**
 * `npm run bench:lists`: list pages at a million rows on a real Postgres (BENCH_DATABASE_URL
 * or TEST_DATABASE_URL). One tenant gets BENCH_ROWS incidents and as many receipts (default
 * 1,000,000 each, written with generate_series); then the first page and a deep page (half
 * way down) of every incidents and timeline list, with each filter, is read by 32 clients at
 * once through the repositories the API uses. Prints p50 and p95 per list; the target is
 * p95 < 50 ms. Creates and drops its own database; asserts nothing.
 */
import { migrationsFolder } from "../functions/platform-node";
import { listIncidentRows } from "../shared/ops/incidents/incidents-repo";
import { systemClock } from "../shared/platform/clock";
import { createPgDatabase } from "../shared/platform/database-pg";
import { adminQuery, databaseUrl } from "../shared/platform/postgres-admin";
import { listReceipts } from "../shared/receipts/receipt-repo";
import { createTenantWithAdminKey } from "../shared/tenants/seed";

const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!base) {
  console.error("Set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a Postgres server.");
  process.exit(1);
}
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const clients = 32;
const reads = Number(process.env.BENCH_READS ?? 640);

const name = `sb_bench_lists_${process.pid}`;
await adminQuery(base, `create database "${name}"`);
const database = createPgDatabase({ url: databaseUrl(base, name), max: clients });

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** `reads` calls of `op` over 32 clients at once; latencies in ms. */
async function measure(op: () => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next++ < reads) {
        const t = performance.now();
        await op();
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return { p50: pct(0.5), p95: pct(0.95) };
}

try {
  await timed("migrate", () => database.migrate(migrationsFolder));
  const db = database.connect().db;
  const { tenantId } = await createTenantWithAdminKey({
    ctx: { db, clock: systemClock },
    input: { slug: "bench", name: "Bench" },
  });
  const pool = database.pool;
  await timed(`seed ${rows.toLocaleString()} incidents`, () =>
    pool.query(
      `insert into incidents (id, tenant_id, key, title, status, opened_at, source, created_at, updated_at)
       select 'inc_' || lpad(g::text, 9, '0'), $1, 'k-' || g, 'Disk full ' || g,
              (array['triggered','acknowledged','resolved'])[1 + g % 3], now(), 'import',
              timestamptz '2026-01-01' + g * interval '1 second', now()
       from generate_series(1, $2::int) g`,
      [tenantId, rows],
    ),
  );
  await timed(`seed ${rows.toLocaleString()} receipts`, () =>
    pool.query(
      `insert into receipts (tenant_id, seq, id, kind, actor, subject, input_digest, occurred_at, digest, leaf_hash, chain)
       select $1, 1000000000 + g, 'rcpt_bench_' || g,
              (array['incident.opened','import.planned','api_key.issued','command.dispatched'])[1 + g % 4],
              'api_key:key_' || (g % 50), 'incident:inc_' || (g % 20000), 'd',
              timestamptz '2026-01-01' + g * interval '1 second', 'd', 'l', 'c'
       from generate_series(1, $2::int) g`,
      [tenantId, rows],
    ),
  );
  await timed("analyze", () => pool.query("analyze"));

  const middle = new Date(Date.parse("2026-01-01T00:00:00Z") + (rows / 2) * 1000);
  const deepIncident = { at: middle, id: `inc_${String(rows / 2).padStart(9, "0")}` };
  const deepReceipt = { at: middle, seq: 1_000_000_000 + rows / 2 };
  const page = { limit: 20 };
  const lists: [string, () => Promise<unknown>][] = [
    ["incidents", () => listIncidentRows(db, tenantId, page)],
    ["incidents, deep page", () => listIncidentRows(db, tenantId, { ...page, after: deepIncident })],
    ["incidents?status=resolved", () => listIncidentRows(db, tenantId, { ...page, status: "resolved" })],
    [
      "incidents?status=resolved, deep page",
      () => listIncidentRows(db, tenantId, { ...page, status: "resolved", after: deepIncident }),
    ],
  ];
  const filters: [string, Parameters<typeof listReceipts>[2]][] = [
    ["", {}],
    ["?kind=incident.opened", { kind: "incident.opened" }],
    ["?actor=api_key:key_7", { actor: "api_key:key_7" }],
    ["?subject=incident:inc_42", { subject: "incident:inc_42" }],
    ["?from&to (a day)", { from: new Date("2026-01-05T00:00:00Z"), to: new Date("2026-01-06T00:00:00Z") }],
  ];
  for (const [label, filter] of filters) {
    lists.push([`timeline${label}`, () => listReceipts(db, tenantId, filter, page)]);
    lists.push([
      `timeline${label}, deep page`,
      () => listReceipts(db, tenantId, filter, { ...page, before: deepReceipt }),
    ]);
  }

  console.log(`\n${reads} reads of each list by ${clients} clients at once (ms):`);
  console.log(`${"list".padEnd(44)} ${"p50".padStart(8)} ${"p95".padStart(8)}`);
  let worst = 0;
  // Every client's connection open before the clock starts.
  await Promise.all(Array.from({ length: clients }, () => pool.query("select 1")));
  for (const [label, op] of lists) {
    await op();
    const { p50, p95 } = await measure(op);
    worst = Math.max(worst, p95);
    console.log(`${label.padEnd(44)} ${p50.toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)}`);
  }
  console.log(`\nworst p95: ${worst.toFixed(1)} ms (target < 50 ms: ${worst < 50 ? "met" : "not met"})`);
} finally {
  await database.shutdown();
  await adminQuery(base, `drop database if exists "${name}" with (force)`);
}
