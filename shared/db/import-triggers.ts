/**
 * The triggers every importable table carries (the functions are migration 0003's):
 * - `<table>_state_{insert,update,delete}`: statement-level, AFTER, `bump_tenant_state('<kind>')`,
 *   so the kind's watermark (`tenant_state`) moves with any write, imports and API alike, and a
 *   plan made before it goes stale;
 * - `<table>_row_version` (kinds that track imports): row-level, BEFORE UPDATE, `bump_row_version()`,
 *   so `version` moves and `last_import_id` is cleared unless the writer names a new import.
 * drizzle-kit cannot generate triggers: `npm run db:generate` (scripts/db-generate.ts) writes
 * these statements into a custom migration for any importable table that has none, and
 * `missingImportTriggers` reads what a database really has (pg_trigger).
 */
import { sql } from "drizzle-orm";
import type { Database } from "./client";

export interface ImportTable {
  table: string;
  /** The import kind whose watermark the table's writes move. */
  kind: string;
  /** The table has `version` and `last_import_id`, kept by `bump_row_version`. */
  rowVersion: boolean;
}

const events = ["insert", "update", "delete"] as const;
const identifier = /^[a-z_][a-z0-9_]*$/;

function checked(name: string): string {
  if (!identifier.test(name)) throw new Error(`"${name}" is not a plain lowercase SQL name`);
  return name;
}

export const stateTriggerName = (table: string, event: (typeof events)[number]) => `${table}_state_${event}`;
export const rowVersionTriggerName = (table: string) => `${table}_row_version`;

/** The CREATE TRIGGER statements for one table, one statement a string. */
export function importTriggerStatements({ table, kind, rowVersion }: ImportTable): string[] {
  const name = checked(table);
  const arg = checked(kind);
  const out = events.map((event) => {
    const transition = event === "delete" ? "OLD TABLE AS old_rows" : "NEW TABLE AS new_rows";
    return `CREATE TRIGGER ${stateTriggerName(name, event)} AFTER ${event.toUpperCase()} ON ${name} REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_state('${arg}');`;
  });
  if (rowVersion) {
    out.push(
      `CREATE TRIGGER ${rowVersionTriggerName(name)} BEFORE UPDATE ON ${name} FOR EACH ROW EXECUTE FUNCTION bump_row_version();`,
    );
  }
  return out;
}

/** A migration's text for these tables: statements split by drizzle's breakpoint marker. */
export const importTriggersMigration = (tables: readonly ImportTable[]): string =>
  `${tables.flatMap(importTriggerStatements).join("\n--> statement-breakpoint\n")}\n`;

interface TriggerRow {
  table: string;
  fn: string;
  type: number;
  args: string;
}

// pg_trigger.tgtype bits: ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16.
const bits = { row: 1, before: 2, insert: 4, delete: 8, update: 16 } as const;

/**
 * What the database lacks of the triggers above, one line a missing trigger (by what it
 * does, whatever its name): empty when every importable table has them all, enabled.
 */
export async function missingImportTriggers(db: Database, tables: readonly ImportTable[]): Promise<string[]> {
  const names = tables.map((t) => t.table);
  const result = await db.execute(sql`select c.relname as "table", p.proname as fn, t.tgtype::int as type,
      encode(t.tgargs, 'escape') as args
    from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
    where not t.tgisinternal and t.tgenabled <> 'D' and c.relname = any(${sql.param(names)}::text[])`);
  const rows = (result as unknown as { rows: TriggerRow[] }).rows;
  const missing: string[] = [];
  for (const { table, kind, rowVersion } of tables) {
    const own = rows.filter((r) => r.table === table);
    for (const event of events) {
      const found = own.some(
        (r) =>
          r.fn === "bump_tenant_state" &&
          (r.type & (bits.row | bits.before)) === 0 &&
          (r.type & bits[event]) !== 0 &&
          r.args.replace(/\\000/g, "\0").split("\0")[0] === kind,
      );
      if (!found) missing.push(`${table}: AFTER ${event.toUpperCase()} … bump_tenant_state('${kind}')`);
    }
    if (rowVersion) {
      const want = bits.row | bits.before | bits.update;
      const found = own.some((r) => r.fn === "bump_row_version" && (r.type & want) === want);
      if (!found) missing.push(`${table}: BEFORE UPDATE FOR EACH ROW … bump_row_version()`);
    }
  }
  return missing;
}
