/**
 * The import kinds, in one place: each kind's importer (file → records), state module
 * (records ↔ its tables) and tables (each needs the import triggers: db/import-triggers.ts).
 * The kind union (`ImportKind`), the OpenAPI enums, the framework's lookups and the trigger
 * checks all follow from this list. A new kind is its folder in ./importers, its table in
 * db/schema, and one line here (docs/importers.md).
 */
import { getTableName } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { ImportTable } from "../db/import-triggers";
import { graphEdges, graphEntities, incidents, operators, runbooks } from "../db/schema";
import type { StateModule } from "./framework/types";
import { graphImporter } from "./importers/graph";
import { identitiesImporter } from "./importers/identities";
import { incidentsImporter } from "./importers/incidents";
import { runbooksImporter } from "./importers/runbooks";
import { graphState } from "./state/graph";
import { identitiesState } from "./state/identities";
import { incidentsState } from "./state/incidents";
import { runbooksState } from "./state/runbooks";
import type { Importer } from "./types";

export interface ImportKindEntry {
  importer: Importer<unknown>;
  state: StateModule;
  /** The tables this kind writes whose changes move its watermark (its `runbook_versions`-like logs need none). */
  tables: readonly PgTable[];
}

const registry = {
  identities: { importer: identitiesImporter, state: identitiesState, tables: [operators] },
  runbooks: { importer: runbooksImporter, state: runbooksState, tables: [runbooks] },
  incidents: { importer: incidentsImporter, state: incidentsState, tables: [incidents] },
  graph: { importer: graphImporter, state: graphState, tables: [graphEntities, graphEdges] },
};

export type ImportKind = keyof typeof registry;

const entries = new Map<string, ImportKindEntry>(Object.entries(registry));

/**
 * Adds a kind at run time. Only tests do this (a kind built by the recipe, its table made in
 * the test database); it must run before the app is built, whose request schemas list the kinds.
 */
export function registerImportKind(kind: string, entry: ImportKindEntry): void {
  if (entries.has(kind)) throw new Error(`import kind ${kind} is registered already`);
  if (entry.importer.kind !== kind || entry.state.kind !== kind) {
    throw new Error(`import kind ${kind}: its importer and state module must name it`);
  }
  entries.set(kind, entry);
}

/** The kinds, for request schemas and the OpenAPI enums (with any a test registered). */
export const importKinds = (): [ImportKind, ...ImportKind[]] =>
  [...entries.keys()] as [ImportKind, ...ImportKind[]];

/** A kind's entry; a kind nobody registered is a programming error (the API refuses it earlier). */
export function importKind(kind: string): ImportKindEntry {
  const entry = entries.get(kind);
  if (!entry) throw new Error(`unknown import kind ${kind}`);
  return entry;
}

export const importerOf = (kind: string): Importer<unknown> => importKind(kind).importer;
export const stateOf = (kind: string): StateModule => importKind(kind).state;

/** Every importable table with the kind whose watermark it moves: what the triggers must cover. */
export function importTables(): ImportTable[] {
  return [...entries].flatMap(([kind, entry]) =>
    entry.tables.map((table) => ({
      table: getTableName(table),
      kind,
      rowVersion: entry.state.tracksImports,
    })),
  );
}
