/**
 * `appendReceipt`: the one way anything is written to a tenant's receipt log.
 *
 * Inside a caller's transaction (a policy deny, an IdP change) the append joins
 * it through a savepoint, and the tenant's log stays locked until the caller
 * commits: append last in a long transaction. Standalone appends are grouped
 * into shared commits (append-queue.ts). Assumes READ COMMITTED.
 */
import type { TenantCtx } from "../context/context";
import { AppError } from "../errors/app-error";
import { enqueueAppend } from "./append-queue";
import { asStoredJson } from "./canonical-json";
import { isHashHex, jsonDigest } from "./hashing";
import { isTransaction } from "./log-repo";
import { type AppendResult, appendOrFind, type Draft } from "./log-writer";
import { actorRef, receiptId } from "./receipt-id";

export type { AppendResult } from "./log-writer";

export interface AppendReceiptInput {
  /** What happened, dotted: `policy.denied`, `import.committed`, `evidence.exported`. */
  kind: string;
  /** What it happened to: `import:imp_…`, `tenant:ten_…`. */
  subject: string;
  /** The action's input; only its digest is kept. Ignored when `inputDigest` is given. */
  input?: unknown;
  /** SHA-256 hex of the input, when the caller already has it (e.g. of an uploaded file). */
  inputDigest?: string;
  /** Names the action instead of the input digest, e.g. the request's Idempotency-Key. */
  idempotencyKey?: string;
  output?: unknown;
  decisionId?: string;
  /** Ids of related records (decision, import, telemetry event). */
  links?: string[];
  details?: Record<string, unknown>;
}

export type AppendCtx = Pick<TenantCtx, "db" | "clock" | "tenant" | "actor">;

export async function appendReceipt({
  ctx,
  input,
}: {
  ctx: AppendCtx;
  input: AppendReceiptInput;
}): Promise<AppendResult> {
  const draft = draftReceipt(ctx, input);
  return isTransaction(ctx.db) ? appendOrFind(ctx, draft) : enqueueAppend(ctx, draft);
}

function draftReceipt(ctx: AppendCtx, input: AppendReceiptInput): Draft {
  if (!input.kind || !input.subject)
    throw new AppError("unprocessable", "A receipt needs a kind and a subject.");
  if (input.inputDigest !== undefined && !isHashHex(input.inputDigest)) {
    throw new AppError("unprocessable", "inputDigest must be a lower-case hex SHA-256.");
  }
  const inputDigest = input.inputDigest ?? jsonDigest(asStoredJson(input.input ?? null));
  const tenantId = ctx.tenant.id;
  return {
    tenantId,
    id: receiptId({
      tenant: tenantId,
      kind: input.kind,
      subject: input.subject,
      inputDigest,
      idempotencyKey: input.idempotencyKey,
    }),
    kind: input.kind,
    actor: actorRef(ctx.actor),
    subject: input.subject,
    inputDigest,
    outputDigest: input.output === undefined ? null : jsonDigest(asStoredJson(input.output)),
    decisionId: input.decisionId ?? null,
    links: asStoredJson(input.links ?? []),
    details: asStoredJson(input.details ?? {}),
  };
}
