/**
 * Group commit for standalone appends. Appends to one tenant serialise on its
 * head row, so each would pay a full commit while holding the lock. Instead,
 * appends that arrive while one is in flight wait and go together in the next
 * transaction: one lock, one insert, one head update, one commit for all.
 * The first append of an idle tenant goes at once, so a lone caller waits no longer.
 *
 * The queue also remembers the head it last wrote. While no other writer has
 * appended since, the next batch is one compare-and-set statement (no separate
 * lock, no BEGIN/COMMIT); when another has, that statement changes nothing and
 * the batch takes the locking path.
 *
 * Queues are keyed by the database object (weakly): on Workers each request has
 * its own Pool, so batches never mix requests' connections; on Node the shared
 * pool lets concurrent requests share commits.
 */
import type { Database } from "../db/client";
import type { LogHead } from "./log-repo";
import {
  type AppendResult,
  appendOrFind,
  type Draft,
  type WriterCtx,
  writeAfter,
  writeMany,
} from "./log-writer";

interface Waiting {
  draft: Draft;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** Bounded so one statement stays far below Postgres's 65,535 parameters (15 per row). */
const maxBatch = 256;

const queues = new WeakMap<Database, Map<string, Waiting[]>>();

/** The head each queue last wrote, per database object and tenant. Bounded: it is only a hint. */
const lastHeads = new WeakMap<Database, Map<string, LogHead>>();
const maxRememberedTenants = 10_000;

function remember(ctx: WriterCtx, head: LogHead | undefined): void {
  let byTenant = lastHeads.get(ctx.db);
  if (!byTenant) {
    byTenant = new Map();
    lastHeads.set(ctx.db, byTenant);
  }
  if (!head) byTenant.delete(ctx.tenant.id);
  else {
    if (byTenant.size >= maxRememberedTenants) byTenant.clear();
    byTenant.set(ctx.tenant.id, head);
  }
}

export function enqueueAppend(ctx: WriterCtx, draft: Draft): Promise<AppendResult> {
  let byTenant = queues.get(ctx.db);
  if (!byTenant) {
    byTenant = new Map();
    queues.set(ctx.db, byTenant);
  }
  const tenantQueues = byTenant;
  return new Promise((resolve, reject) => {
    const queue = tenantQueues.get(ctx.tenant.id);
    if (queue) {
      queue.push({ draft, resolve, reject });
      return;
    }
    const fresh: Waiting[] = [{ draft, resolve, reject }];
    tenantQueues.set(ctx.tenant.id, fresh);
    void drain(ctx, fresh, tenantQueues);
  });
}

async function drain(ctx: WriterCtx, queue: Waiting[], owner: Map<string, Waiting[]>): Promise<void> {
  while (queue.length > 0) {
    const batch = queue.splice(0, maxBatch);
    try {
      await flush(ctx, batch);
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
  // No await between the last emptiness check and this: an append arriving later starts a new queue.
  owner.delete(ctx.tenant.id);
}

async function flush(ctx: WriterCtx, batch: Waiting[]): Promise<void> {
  // The same action twice in one batch: the first creates it, the others get its receipt.
  const byId = new Map<string, Waiting[]>();
  for (const w of batch) byId.set(w.draft.id, [...(byId.get(w.draft.id) ?? []), w]);
  const groups = [...byId.values()].flatMap(([first, ...rest]) => (first ? [{ first, rest }] : []));
  const settle = (group: { first: Waiting; rest: Waiting[] }, result: AppendResult) => {
    group.first.resolve(result);
    for (const w of group.rest) w.resolve({ receipt: result.receipt, created: false });
  };

  const drafts = groups.map((g) => g.first.draft);
  const settleAll = (written: { rows: AppendResult["receipt"][]; head: LogHead }) => {
    remember(ctx, written.head);
    groups.forEach((group, i) => {
      const receipt = written.rows[i];
      if (receipt) settle(group, { receipt, created: true });
    });
  };

  const last = lastHeads.get(ctx.db)?.get(ctx.tenant.id);
  if (last) {
    try {
      const written = await writeAfter(ctx, drafts, last);
      if (written) return settleAll(written);
    } catch {
      // A retry of an existing receipt: the statement changed nothing; the paths below sort it out.
    }
    remember(ctx, undefined);
  }
  try {
    return settleAll(await writeMany(ctx, drafts));
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
