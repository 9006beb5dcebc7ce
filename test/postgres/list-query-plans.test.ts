/**
 * Every list the API serves reads an index in its own order and starts at its cursor: the
 * query plan of each list query (first page and a deep page, each filter) is an index scan
 * with no Sort node, so a page costs the same at a million rows as at ten. The queries are
 * the repositories' own, captured as they run; the big tables (incidents, receipts) are
 * seeded with 20,000 rows of one tenant and analysed. Sequential scans are turned off for
 * the plans read: the check is that an index in the list's order exists and the query can
 * use it, not the planner's guess for a small table (bench:lists measures a million rows).
 */
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../shared/db/client";
import * as schema from "../../shared/db/schema";
import { listFeedback } from "../../shared/feedback/feedback-repo";
import { listImportRows } from "../../shared/imports/framework/views/imports-list-repo";
import { listApprovalRows } from "../../shared/ops/approvals/approvals-repo";
import { listCommandRows } from "../../shared/ops/commands/commands-repo";
import { listIncidentRows } from "../../shared/ops/incidents/incidents-repo";
import { listRunRows } from "../../shared/ops/runbook-runs/runs-repo";
import { listRunbookRows } from "../../shared/ops/runbooks/runbooks-repo";
import { listExceptions } from "../../shared/policy/exception-repo";
import { listCheckpointRows } from "../../shared/receipts/checkpoint-repo";
import { listReceipts } from "../../shared/receipts/receipt-repo";
import { listApiKeys } from "../../shared/tenants/api-key-repo";
import { listDomains } from "../../shared/tenants/domains-repo";
import { listOperators } from "../../shared/tenants/operators-repo";
import { listAllTenants } from "../../shared/tenants/tenant-admin-repo";
import { createHarness, type Harness } from "../support/harness";

let h: Harness;
let pool: pg.Pool;
let db: Database;
const captured: { sql: string; params: unknown[] }[] = [];

beforeAll(async () => {
  h = await createHarness();
  pool = new pg.Pool({ connectionString: h.database.url, max: 2 });
  db = drizzle({
    client: pool,
    schema,
    logger: { logQuery: (sql, params) => captured.push({ sql, params }) },
  }) as unknown as Database;
  const tenant = h.tenantA.id;
  await pool.query(
    `insert into incidents (id, tenant_id, key, title, status, opened_at, source, created_at, updated_at)
     select 'inc_' || lpad(g::text, 8, '0'), $1, 'k-' || g, 'Disk full ' || g,
            (array['triggered','acknowledged','resolved'])[1 + g % 3], now(), 'import',
            timestamptz '2026-01-01' + g * interval '1 second', now()
     from generate_series(1, 20000) g`,
    [tenant],
  );
  await pool.query(
    `insert into receipts (tenant_id, seq, id, kind, actor, subject, input_digest, occurred_at, digest, leaf_hash, chain)
     select $1, 1000000 + g, 'rcpt_seed_' || g, (array['incident.opened','import.planned','api_key.issued'])[1 + g % 3],
            'api_key:key_' || (g % 7), 'incident:inc_' || (g % 500), 'd', timestamptz '2026-01-01' + g * interval '1 second',
            'd', 'l', 'c'
     from generate_series(1, 20000) g`,
    [tenant],
  );
  await pool.query("analyze");
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await h?.close();
});

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

/** The plan of the one query `run` sends, with sequential scans off. */
async function planOf(run: () => Promise<unknown>): Promise<PlanNode[]> {
  captured.length = 0;
  await run();
  const query = captured.find((q) => /^select/i.test(q.sql));
  if (!query) throw new Error("no select was sent");
  const client = await pool.connect();
  try {
    await client.query("begin");
    await client.query("set local enable_seqscan = off");
    const explained = await client.query(`explain (format json) ${query.sql}`, query.params);
    await client.query("rollback");
    const [root] = explained.rows[0]["QUERY PLAN"] as [{ Plan: PlanNode }];
    return nodes(root.Plan);
  } finally {
    client.release();
  }
}

/** An index scan of `table` by `index` (its cursor, when given, in the index condition), and no Sort. */
async function expectIndexOrder(
  table: string,
  index: string,
  run: () => Promise<unknown>,
  cursorColumn?: string,
) {
  const plan = await planOf(run);
  const summary = plan
    .map((n) => `${n["Node Type"]} ${n["Index Name"] ?? n["Relation Name"] ?? ""}`)
    .join(" > ");
  expect(
    plan.filter((n) => n["Node Type"].includes("Sort")),
    summary,
  ).toEqual([]);
  const scan = plan.find((n) => n["Relation Name"] === table);
  expect(scan?.["Node Type"], summary).toMatch(/^Index (Only )?Scan/);
  expect(scan?.["Index Name"], summary).toBe(index);
  if (cursorColumn) expect(scan?.["Index Cond"], summary).toContain(cursorColumn);
}

const deep = { at: new Date("2026-01-01T02:00:00Z"), id: "inc_00007200" };
const page = { limit: 20 };

describe("list query plans", () => {
  it("incidents: newest first, by status, first and deep pages", async () => {
    const t = () => h.tenantA.id;
    await expectIndexOrder("incidents", "incidents_tenant_list_idx", () => listIncidentRows(db, t(), page));
    await expectIndexOrder(
      "incidents",
      "incidents_tenant_list_idx",
      () => listIncidentRows(db, t(), { ...page, after: deep }),
      "created_at",
    );
    await expectIndexOrder("incidents", "incidents_tenant_status_list_idx", () =>
      listIncidentRows(db, t(), { ...page, status: "resolved" }),
    );
    await expectIndexOrder(
      "incidents",
      "incidents_tenant_status_list_idx",
      () => listIncidentRows(db, t(), { ...page, status: "resolved", after: deep }),
      "created_at",
    );
  });

  it("receipts (timeline): newest first, by kind, actor, subject and time range, first and deep pages", async () => {
    const t = () => h.tenantA.id;
    const before = { at: new Date("2026-01-01T02:00:00Z"), seq: 1_007_200 };
    const cases: [string, Parameters<typeof listReceipts>[2]][] = [
      ["receipts_tenant_time_idx", {}],
      [
        "receipts_tenant_time_idx",
        { from: new Date("2026-01-01T01:00:00Z"), to: new Date("2026-01-01T04:00:00Z") },
      ],
      ["receipts_tenant_kind_idx", { kind: "incident.opened" }],
      ["receipts_tenant_actor_idx", { actor: "api_key:key_3" }],
      ["receipts_tenant_subject_idx", { subject: "incident:inc_42" }],
    ];
    for (const [index, filter] of cases) {
      await expectIndexOrder("receipts", index, () => listReceipts(db, t(), filter, page));
      await expectIndexOrder(
        "receipts",
        index,
        () => listReceipts(db, t(), filter, { ...page, before }),
        "seq",
      );
    }
  });

  it("imports, operators, commands and approvals: newest first and by each filter", async () => {
    const t = () => h.tenantA.id;
    const after = { at: new Date("2026-01-01T00:00:00Z"), id: "x" };
    for (const cursor of [undefined, after]) {
      const p = { ...page, after: cursor };
      const c = cursor ? "created_at" : undefined;
      await expectIndexOrder("imports", "imports_tenant_list_idx", () => listImportRows(db, t(), p), c);
      await expectIndexOrder(
        "imports",
        "imports_tenant_kind_list_idx",
        () => listImportRows(db, t(), { ...p, kind: "incidents" }),
        c,
      );
      await expectIndexOrder(
        "imports",
        "imports_tenant_status_list_idx",
        () => listImportRows(db, t(), { ...p, status: "completed" }),
        c,
      );
      await expectIndexOrder("operators", "operators_tenant_list_idx", () => listOperators(db, t(), p), c);
      await expectIndexOrder(
        "operators",
        "operators_tenant_status_list_idx",
        () => listOperators(db, t(), { ...p, status: "active" }),
        c,
      );
      await expectIndexOrder("commands", "commands_tenant_list_idx", () => listCommandRows(db, t(), p), c);
      await expectIndexOrder(
        "commands",
        "commands_tenant_status_list_idx",
        () => listCommandRows(db, t(), { ...p, status: "succeeded" }),
        c,
      );
      await expectIndexOrder("approvals", "approvals_tenant_list_idx", () => listApprovalRows(db, t(), p), c);
      await expectIndexOrder(
        "approvals",
        "approvals_tenant_status_list_idx",
        () => listApprovalRows(db, t(), { ...p, status: "pending" }),
        c,
      );
    }
  });

  it("runbooks, runbook runs, policy exceptions, API keys, domains, feedback, checkpoints and tenants", async () => {
    const t = () => h.tenantA.id;
    const after = { at: new Date("2026-01-01T00:00:00Z"), id: "x" };
    for (const cursor of [undefined, after]) {
      const p = { ...page, after: cursor };
      const c = cursor ? "created_at" : undefined;
      await expectIndexOrder("runbooks", "runbooks_tenant_list_idx", () => listRunbookRows(db, t(), p), c);
      await expectIndexOrder(
        "runbook_runs",
        "runbook_runs_tenant_list_idx",
        () => listRunRows(db, t(), p),
        c,
      );
      await expectIndexOrder(
        "policy_exceptions",
        "policy_exceptions_tenant_list_idx",
        () => listExceptions(db, t(), p),
        c,
      );
      await expectIndexOrder("api_keys", "api_keys_tenant_list_idx", () => listApiKeys(db, t(), p), c);
      await expectIndexOrder(
        "tenant_domains",
        "tenant_domains_tenant_list_idx",
        () => listDomains(db, t(), p),
        c,
      );
      await expectIndexOrder(
        "feedback",
        "feedback_tenant_created_idx",
        () => listFeedback(db, t(), {}, { limit: 20, before: cursor }),
        c,
      );
      await expectIndexOrder("tenants", "tenants_list_idx", () => listAllTenants(db, p), c);
    }
    await expectIndexOrder("checkpoints", "checkpoints_tenant_id_tree_size_pk", () =>
      listCheckpointRows(db, t(), page),
    );
  });
});
