/**
 * Group commit for standalone appends. Appends to one tenant serialise on its
 * head row, so each would pay a full commit while holding the lock. Instead,
 * appends that arrive while others are in flight wait and go together in the
 * next write: for every tenant with appends waiting, one statement seals and
 * inserts their rows and moves their heads, and one commit covers them all.
 * The first append of an idle process goes at once, so a lone caller waits no longer.
 *
 * A write is one compare-and-set statement over the heads this process last
 * wrote or read (no separate lock, no BEGIN/COMMIT). A tenant whose head another
 * writer has moved since or holds now, or that has no log yet, takes the locking
 * path instead: its own transaction, under its head-row lock, beside
 * the queue's next writes, so a tenant waiting for its lock holds up no other
 * tenant. Its later appends wait until that transaction ends.
 *
 * One write is in flight at a time per database object: more, side by side,
 * split the waiting appends into smaller batches and more commits, and measured
 * slower with a longer tail (bench:receipts).
 *
 * Queues are keyed by the database object (weakly): on Workers each request has
 * its own Pool, so batches never mix requests' connections; on Node the shared
 * pool lets concurrent requests share commits.
 */
import type { Database } from "../db/client";
import { type LogHead, readLogHeads } from "./log-repo";
import {
  type AppendResult,
  appendOrFind,
  type Draft,
  type WriterCtx,
  type Written,
  writeAfter,
  writeMany,
} from "./log-writer";

interface Waiting {
  draft: Draft;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** One tenant's share of a write. */
interface TenantBatch {
  ctx: WriterCtx;
  waiting: Waiting[];
}

interface DbQueue {
  /** Appends not yet taken, by tenant. */
  waiting: Map<string, TenantBatch>;
  draining: boolean;
  /** Tenants with a locking-path write in flight. */
  locking: Set<string>;
  /** The head this process last wrote, by tenant. Bounded: it is only a hint. */
  heads: Map<string, LogHead>;
}

/** Rows per write: bounds one statement's size and the wait of the callers in it. */
const maxBatch = 512;
const maxRememberedTenants = 10_000;

const queues = new WeakMap<Database, DbQueue>();

export function enqueueAppend(ctx: WriterCtx, draft: Draft): Promise<AppendResult> {
  let queue = queues.get(ctx.db);
  if (!queue) {
    queue = { waiting: new Map(), draining: false, locking: new Set(), heads: new Map() };
    queues.set(ctx.db, queue);
  }
  const q = queue;
  return new Promise((resolve, reject) => {
    const batch = q.waiting.get(ctx.tenant.id);
    if (batch) batch.waiting.push({ draft, resolve, reject });
    else q.waiting.set(ctx.tenant.id, { ctx, waiting: [{ draft, resolve, reject }] });
    if (!q.draining && !q.locking.has(ctx.tenant.id)) void drain(q);
  });
}

async function drain(q: DbQueue): Promise<void> {
  q.draining = true;
  for (let batches = take(q); batches.length > 0; batches = take(q)) {
    try {
      await flush(q, batches);
    } catch (error) {
      for (const b of batches) for (const w of b.waiting) w.reject(error);
    }
    await nextTurn();
  }
  // No await between the last take and this: an append arriving later starts a drain.
  q.draining = false;
}

/**
 * Between writes the queue lets the event loop turn once, so callers whose appends
 * just settled and who append again (a request's next step) join the next write
 * instead of the one after: twice the rows per commit at the cost of one turn.
 */
const nextTurn = (): Promise<void> =>
  new Promise((resolve) =>
    typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0),
  );

/** Takes waiting appends, tenant by tenant, up to `maxBatch` rows; none of a tenant on the locking path. */
function take(q: DbQueue): TenantBatch[] {
  const taken: TenantBatch[] = [];
  let room = maxBatch;
  for (const [tenantId, batch] of q.waiting) {
    if (room === 0) break;
    if (q.locking.has(tenantId)) continue;
    const waiting = batch.waiting.splice(0, room);
    if (batch.waiting.length === 0) q.waiting.delete(tenantId);
    room -= waiting.length;
    taken.push({ ctx: batch.ctx, waiting });
  }
  return taken;
}

/** The same action twice in one batch: the first creates it, the others get its receipt. */
interface Group {
  first: Waiting;
  rest: Waiting[];
}

function groupsOf(waiting: Waiting[]): Group[] {
  const byId = new Map<string, Group>();
  for (const w of waiting) {
    const group = byId.get(w.draft.id);
    if (group) group.rest.push(w);
    else byId.set(w.draft.id, { first: w, rest: [] });
  }
  return [...byId.values()];
}

function settle(group: Group, result: AppendResult): void {
  group.first.resolve(result);
  for (const w of group.rest) w.resolve({ receipt: result.receipt, created: false });
}

function settleAll(groups: Group[], written: Written): void {
  groups.forEach((group, i) => {
    const receipt = written.rows[i];
    if (receipt) settle(group, { receipt, created: true });
  });
}

function remember(q: DbQueue, tenantId: string, head: LogHead | undefined): void {
  if (!head) q.heads.delete(tenantId);
  else {
    if (q.heads.size >= maxRememberedTenants) q.heads.clear();
    q.heads.set(tenantId, head);
  }
}

async function flush(q: DbQueue, batches: TenantBatch[]): Promise<void> {
  const tenants = batches.map((b) => ({ ctx: b.ctx, groups: groupsOf(b.waiting) }));
  await learnHeads(q, tenants);
  const known = tenants.flatMap((t) => {
    const expected = q.heads.get(t.ctx.tenant.id);
    return expected ? [{ ...t, expected }] : [];
  });
  let written = new Map<string, Written>();
  if (known.length > 0) {
    try {
      written = await writeAfter(
        known.map((t) => ({ ctx: t.ctx, drafts: t.groups.map((g) => g.first.draft), expected: t.expected })),
      );
    } catch {
      // A retry of an existing receipt (unique_violation) or any other failure: the
      // statement changed nothing; each tenant's locking path below sorts it out.
    }
  }
  for (const t of tenants) {
    const done = written.get(t.ctx.tenant.id);
    if (done) {
      remember(q, t.ctx.tenant.id, done.head);
      settleAll(t.groups, done);
    } else lockingPath(q, t.ctx, t.groups);
  }
}

/**
 * Tenants this process has not written yet: their heads, read in one query, so their
 * first appends join the shared statement instead of a transaction each. A tenant with
 * no log yet takes the locking path, which creates its head.
 */
async function learnHeads(q: DbQueue, tenants: { ctx: WriterCtx }[]): Promise<void> {
  const [first] = tenants;
  const unknown = tenants.map((t) => t.ctx.tenant.id).filter((id) => !q.heads.has(id));
  if (!first || unknown.length === 0) return;
  const heads = await readLogHeads(first.ctx.db, unknown).catch(() => new Map<string, LogHead>());
  for (const [tenantId, head] of heads) remember(q, tenantId, head);
}

function lockingPath(q: DbQueue, ctx: WriterCtx, groups: Group[]): void {
  const tenantId = ctx.tenant.id;
  q.locking.add(tenantId);
  void flushLocked(q, ctx, groups).finally(() => {
    q.locking.delete(tenantId);
    if (q.waiting.has(tenantId) && !q.draining) void drain(q);
  });
}

/** One tenant under its head-row lock: the batch in one transaction, else one by one. */
async function flushLocked(q: DbQueue, ctx: WriterCtx, groups: Group[]): Promise<void> {
  remember(q, ctx.tenant.id, undefined);
  try {
    const written = await writeMany(
      ctx,
      groups.map((g) => g.first.draft),
    );
    remember(q, ctx.tenant.id, written.head);
    return settleAll(groups, written);
  } catch {
    // A retry of an existing receipt (unique_violation) or any other failure rolled the
    // batch back: redo it one by one, so each caller gets its own outcome.
  }
  for (const group of groups) {
    try {
      settle(group, await appendOrFind(ctx, group.first.draft));
    } catch (error) {
      group.first.reject(error);
      for (const w of group.rest) w.reject(error);
    }
  }
}
