/**
 * The dry-run pass: importer → checkInFile → batches of natural keys → one state query per
 * batch (`= any($1)`) → classify → row policy → plan writer. Never a query per row.
 */
import type { TenantCtx } from "../../context/context";
import type { DecisionRecord } from "../../db/schema";
import { importers } from "../importers";
import { normalizeHeader } from "../read/columns";
import { checkInFile } from "../read/in-file-check";
import { stateModules } from "../state";
import type { ImportFormat, ImportKind, MappedRecord, RowError } from "../types";
import { type Classified, classify } from "./diff";
import { type ManifestReject, maxManifestRejects, rejectOf } from "./manifest";
import type { PlanWriter } from "./plan-store";
import type { RowPolicy } from "./row-policy";
import type { CurrentRow, Fields, PlanRow } from "./types";

export const keysPerQuery = 1_000;

export interface PlanStreamInput {
  kind: ImportKind;
  format: ImportFormat;
  bytes: ReadableStream<Uint8Array> | Uint8Array;
  mapping: Record<string, string>;
  options: Record<string, unknown>;
  onConflict: "skip" | "overwrite";
  /** Imports of this kind still applying: rows they wrote are conflicts. */
  applying: ReadonlySet<string>;
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
  const state = stateModules[input.kind];
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
    record: MappedRecord<unknown>,
    fields: Fields,
    classified: Classified,
    grants: boolean,
    decision: DecisionRecord,
  ) => {
    if (decision.decision === "deny") {
      return emit({
        row: record.row,
        key: record.key,
        entity: record.entity,
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
      row: record.row,
      key: record.key,
      entity: record.entity,
      action: classified.action,
      fields,
      decisionId: decision.id,
      decision: "allow",
    };
    if (classified.changes) planned.changes = classified.changes;
    if (classified.conflict) planned.error = classified.conflict;
    if (record.warnings) planned.warnings = record.warnings;
    return emit(planned);
  };

  const classifyRecord = (record: MappedRecord<unknown>, now: CurrentRow | undefined) => {
    const fields = state.project(record);
    const classified = classify(fields, now, input);
    const grants =
      classified.action !== "unchanged" &&
      state.grantsAdmin !== undefined &&
      state.grantsAdmin(now ? { ...now.fields, ...fields } : fields, now?.fields);
    if (!grants) return emitDecided(record, fields, classified, false, policy.base);
    return policy.decide(true).then((decision) => emitDecided(record, fields, classified, true, decision));
  };

  // Items keep the checked order; a batch's state query runs while the next batch is parsed
  // (a pipeline one batch deep: at most two batches in memory).
  type Item = { record: MappedRecord<unknown> } | { error: RowError };
  let batch: Item[] = [];
  let chain: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    const items = batch;
    batch = [];
    const keys = [...new Set(items.flatMap((item) => ("record" in item ? [item.record.key] : [])))];
    const loading = keys.length > 0 ? state.load(ctx.db, ctx.tenant.id, keys) : Promise.resolve(new Map());
    const previous = chain;
    chain = (async () => {
      const current = await loading;
      await previous;
      for (const item of items) {
        const pending =
          "error" in item ? reject(item.error) : classifyRecord(item.record, current.get(item.record.key));
        if (pending) await pending;
      }
    })();
    chain.catch(() => undefined); // observed by the next flush or the final await
    return previous;
  };

  const records = importers[input.kind].read({
    bytes: input.bytes,
    format: input.format,
    mapping: withReasonIgnored(input.format, input.mapping),
    options: input.options,
    limits: ctx.importLimits,
  });
  const known = state.known;
  const checked = checkInFile(records, {
    kind: input.kind,
    ...(known ? { knownKeys: (kind, keys) => known(ctx.db, ctx.tenant.id, kind, keys) } : {}),
  });
  for await (const result of checked) {
    const problem = result.ok ? state.check?.(result.value) : undefined;
    if (!result.ok) batch.push({ error: result.error });
    else if (problem) batch.push({ error: { row: result.value.row, ...problem } });
    else batch.push({ record: result.value });
    if (batch.length >= keysPerQuery) await flush();
  }
  await flush();
  await chain;
  return out;
}
