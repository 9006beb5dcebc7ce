/**
 * The dry-run pass: item batches from the reader (importer, check, project; see read-items.ts)
 * → in-file check → batches of natural keys → one state query per batch (`= any($1)`) →
 * classify → row policy → plan writer. Never a query per row, never a promise per row.
 */
import type { TenantCtx } from "../../../context/context";
import type { DecisionRecord } from "../../../db/schema";
import { normalizeHeader } from "../../read/columns";
import { InFileCheck } from "../../read/in-file-check";
import { stateOf } from "../../registry";
import type { ImportFormat, ImportKind, RowError } from "../../types";
import { type ManifestReject, maxManifestRejects, rejectOf } from "../manifest/manifest";
import type { CurrentRow, Fields, PlanRow } from "../types";
import { type Classified, classify } from "./diff";
import type { PlanWriter } from "./plan-store";
import {
  type ImportReader,
  inlineReader,
  type ReadItem,
  type ReadRequest,
  type RecordItem,
} from "./read-items";
import type { RowPolicy } from "./row-policy";

export const keysPerQuery = 1_000;
/** The bytes read before the rows a file holds are estimated (the in-file check is sized for them). */
const sizingBytes = 1024 * 1024;
const noRows: ReadonlyMap<string, CurrentRow> = new Map();

export interface PlanStreamInput {
  kind: ImportKind;
  format: ImportFormat;
  bytes: ReadableStream<Uint8Array> | Uint8Array;
  /** The file's size in bytes. */
  size: number;
  mapping: Record<string, string>;
  options: Record<string, unknown>;
  onConflict: "skip" | "overwrite";
  /** Imports of this kind still applying: rows they wrote are conflicts. */
  applying: ReadonlySet<string>;
  /**
   * The kind's watermark the plan is made against. 0: nothing of the kind was ever written
   * in the tenant, so every row is new and no state is read (a commit re-reads every row
   * once the watermark has moved: stale.ts).
   */
  watermark: number;
}

export interface PlanStreamResult {
  rejects: ManifestReject[];
  truncated: boolean;
  grantsAdmin: boolean;
}

/**
 * A reject CSV (GET …/manifest?format=csv) is the source's columns plus `reason`: ignore a
 * `reason` column unless the caller mapped it, so the fixed file imports as it is.
 */
export function withReasonIgnored(format: ImportFormat, mapping: Record<string, string>) {
  if (format !== "csv" || Object.keys(mapping).some((h) => normalizeHeader(h) === "reason")) return mapping;
  return { ...mapping, reason: "" };
}

export async function streamPlan(
  ctx: TenantCtx,
  input: PlanStreamInput,
  policy: RowPolicy,
  writer: PlanWriter,
): Promise<PlanStreamResult> {
  const state = stateOf(input.kind);
  const out: PlanStreamResult = { rejects: [], truncated: false, grantsAdmin: false };
  // Synchronous per row: a promise only when the writer flushes an object or a row needs
  // a policy decision not made yet, so a large file costs no microtask per row.
  const emit = (row: PlanRow): Promise<void> | undefined => {
    if (row.action === "reject") {
      if (out.rejects.length < maxManifestRejects) out.rejects.push(rejectOf(row));
      else out.truncated = true;
    }
    return writer.add(row);
  };
  const reject = (error: RowError) => {
    const { row, ...rest } = error;
    return emit({ row, action: "reject", error: rest, decisionId: policy.base.id, decision: "allow" });
  };

  const emitDecided = (
    item: RecordItem,
    fields: Fields,
    classified: Classified,
    grants: boolean,
    decision: DecisionRecord,
  ) => {
    if (decision.decision === "deny") {
      return emit({
        row: item.row,
        key: item.key,
        entity: item.entity,
        action: "reject",
        fields,
        error: {
          column: "roles",
          code: "policy_denied",
          message: `Granting the admin role is denied: ${decision.remediation ?? "denied"}.`,
          hint: "Ask an admin to plan this file, or remove the admin role from the row.",
        },
        decisionId: decision.id,
        decision: "deny",
      });
    }
    if (grants && classified.action !== "conflict") out.grantsAdmin = true;
    // Built property by property: object spreads cost microseconds per row here.
    const planned: PlanRow = {
      row: item.row,
      key: item.key,
      entity: item.entity,
      action: classified.action,
      fields,
      decisionId: decision.id,
      decision: "allow",
    };
    if (classified.changes) planned.changes = classified.changes;
    if (classified.conflict) planned.error = classified.conflict;
    if (item.warnings) planned.warnings = item.warnings;
    return emit(planned);
  };

  const classifyItem = (item: RecordItem, now: CurrentRow | undefined) => {
    // A new row that cannot grant anything: its plan line is written from the JSON as read,
    // or it joins a slice of the source.
    if (!now && !state.grantsAdmin) return writer.addNew(item, policy.base.id);
    const fields = JSON.parse(item.fields) as Fields;
    const classified = classify(fields, now, input);
    const grants =
      classified.action !== "unchanged" &&
      state.grantsAdmin !== undefined &&
      state.grantsAdmin(now ? { ...now.fields, ...fields } : fields, now?.fields);
    if (!grants) return emitDecided(item, fields, classified, false, policy.base);
    return policy.decide(true).then((decision) => emitDecided(item, fields, classified, true, decision));
  };

  // Items keep the checked order; a batch's state query runs while the next batch is read
  // (a pipeline one batch deep: at most two batches in memory).
  let batch: ReadItem[] = [];
  let chain: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    const items = batch;
    batch = [];
    const keys =
      input.watermark === 0 ? [] : [...new Set(items.flatMap((item) => ("key" in item ? [item.key] : [])))];
    const loading = keys.length > 0 ? state.load(ctx.db, ctx.tenant.id, keys) : Promise.resolve(noRows);
    const previous = chain;
    chain = (async () => {
      const current = await loading;
      await previous;
      for (const item of items) {
        const pending =
          "boundary" in item
            ? writer.boundary(item)
            : "error" in item
              ? reject(item.error)
              : classifyItem(item, current.get(item.key));
        if (pending) await pending;
      }
    })();
    chain.catch(() => undefined); // observed by the next flush or the final await
    return previous;
  };

  const known = state.known;
  const check = new InFileCheck<RecordItem>({
    kind: input.kind,
    ...(known ? { knownKeys: (kind, keys) => known(ctx.db, ctx.tenant.id, kind, keys) } : {}),
  });
  // A record that passed the in-file check: the state module's own problem, if any, rejects it now.
  const checked = (item: RecordItem): ReadItem =>
    item.problem ? { error: { row: item.row, ...item.problem } } : item;
  // The context's reader is typed for any kind; a request for a registered kind reads
  // references to registered kinds.
  const reader = (ctx.importReader as ImportReader | undefined) ?? inlineReader;
  const request: ReadRequest = {
    kind: input.kind,
    format: input.format,
    mapping: withReasonIgnored(input.format, input.mapping),
    options: input.options,
    limits: ctx.importLimits,
    boundaries: writer.sliced,
    // New rows of a sliced plan are read again from the source: against watermark 0 every row is new.
    fields: !(writer.sliced && input.watermark === 0),
  };
  // The in-file check is sized once for the rows the file is expected to hold (from the bytes
  // its first rows took, a tenth more; never past the row limit, whatever rows come first),
  // so its key index does not grow, and move, as it fills.
  const size = input.size ?? 0;
  let sized = size === 0;
  for await (const items of reader.read(request, input.bytes, input.size)) {
    for (const item of items) {
      if ("error" in item) batch.push(item);
      else if ("boundary" in item) {
        const { at, row } = item.boundary;
        if (!sized && at >= sizingBytes) {
          sized = true;
          check.reserve(Math.min(Math.ceil(((row * size) / at) * 1.1), ctx.importLimits.maxRows));
        }
        batch.push(item);
      } else {
        const verdict = check.take(item);
        if ("error" in verdict) batch.push(verdict);
        else if (!verdict.held) batch.push(checked(item));
      }
    }
    if (batch.length >= keysPerQuery) await flush();
  }
  for (const result of await check.finish()) {
    batch.push(result.ok ? checked(result.value) : { error: result.error });
    if (batch.length >= keysPerQuery) await flush();
  }
  await flush();
  await chain;
  return out;
}
