/**
 * What the plan → commit half of the import pipeline passes around: plan rows (stored as
 * NDJSON in the object store) and the per-kind state module contract.
 */
import type { Database } from "../../db/client";
import type { CopyIn } from "../../platform/ports";
import type { ImportKind, JsonValue, MappedRecord, RowError, RowWarning } from "../types";
import type { PlanObject } from "./plan/plan-store";

export const rowClasses = ["create", "update", "unchanged", "reject", "conflict"] as const;
export type RowClass = (typeof rowClasses)[number];
/** The classes a commit applies, chunk by chunk. */
export const applyClasses = ["create", "update"] as const;
export type ApplyClass = (typeof applyClasses)[number];

export type Fields = Record<string, JsonValue>;

export interface FieldChange {
  before: JsonValue;
  after: JsonValue;
}

/** One source row's fate in a plan: one NDJSON line. */
export interface PlanRow {
  row: number;
  action: RowClass;
  /** Natural key; absent for a reject that never got one. */
  key?: string;
  entity?: string;
  /** The record's fields as stored (state module `project`): what create/update write. */
  fields?: Fields;
  /** update and conflict: the fields that differ, before → after (only fields the record carries). */
  changes?: Record<string, FieldChange>;
  /** reject and conflict: why. */
  error?: Omit<RowError, "row">;
  /** The policy decision this row gets (allow, or the deny behind a `policy_denied` reject). */
  decisionId: string;
  decision: "allow" | "deny";
  warnings?: RowWarning[];
}

/** A row as the tenant has it now, in the record's shape. */
export interface CurrentRow {
  fields: Fields;
  /** Kinds that track provenance: the import that last wrote the row, null after any other write. */
  lastImportId?: string | null;
  version?: number;
}

export interface StateWrite {
  key: string;
  entity: string;
  /** The complete new row in record shape (current merged with the record for updates). */
  fields: Fields;
}

/**
 * Tenant state for one import kind, named in ../registry.ts (docs/importers.md: a kind in one
 * table uses ../state/table-state.ts).
 */
export interface StateModule {
  /** Its key in the registry. */
  kind: string;
  /** Whether `load` reports `lastImportId` (and writes record it). */
  tracksImports: boolean;
  /** The record's fields as this kind stores them (drops what it does not keep). */
  project(record: MappedRecord<unknown>): Fields;
  /** Checks beyond the importer's, e.g. roles an import may not grant. */
  check?(record: MappedRecord<unknown>): Omit<RowError, "row"> | undefined;
  /** Current rows by natural key; `lock` takes them FOR UPDATE (apply, revert). One query per kind of key. */
  load(db: Database, tenantId: string, keys: string[], lock?: boolean): Promise<Map<string, CurrentRow>>;
  /** Which of `keys` (of `kind`, as records key them) exist: checkInFile's `knownKeys`. */
  known?(db: Database, tenantId: string, kind: ImportKind, keys: string[]): Promise<Iterable<string>>;
  /** Whether writing `after` over `before` gives someone the admin role. */
  grantsAdmin?(after: Fields, before: Fields | undefined): boolean;
  write(
    db: Database,
    input: { tenantId: string; importId: string; now: Date; creates: StateWrite[]; updates: StateWrite[] },
  ): Promise<void>;
  remove(db: Database, tenantId: string, keys: string[]): Promise<void>;
  /**
   * Optional bulk path for a create chunk: inserts the rows of one plan object straight
   * from its NDJSON, skipping a row whose key exists by now, as `staleFields` would.
   * With `copyIn` (the driver streams COPY) the rows go as COPY text. Returns the keys it skipped.
   */
  insertPlanned?(db: Database, input: PlannedInsert): Promise<{ applied: number; skipped: string[] }>;
}

export interface PlannedInsert {
  tenantId: string;
  importId: string;
  now: Date;
  /** The create object of the plan: one PlanRow as JSON per line. */
  object: PlanObject;
  copyIn?: CopyIn;
}
