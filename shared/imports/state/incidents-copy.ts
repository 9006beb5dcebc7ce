/**
 * The COPY path of an incident create chunk, for drivers with `copyIn` (node-postgres):
 * the plan object streams from the store and its rows go on to Postgres as COPY data in
 * pieces of `rowsPerPiece` (Postgres takes in one piece while the next is written; the
 * object is never in memory whole), in COPY's binary format (copy-binary.ts: Postgres reads
 * the numbers and timestamps without parsing text), at less than half the server work of an
 * INSERT that parses the NDJSON itself. COPY has no ON CONFLICT: a key that exists by now (written
 * since the plan) fails it with a unique violation, the savepoint takes it back, and the
 * caller's INSERT path skips such rows.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { CopyBinaryWriter, encodeColumns } from "../../db/copy-binary";
import { isUniqueViolation } from "../../db/errors";
import { incidents } from "../../db/schema";
import type { CopyIn } from "../../platform/ports";
import type { PlannedInsert } from "../framework/types";
import { plainColumns } from "./incidents-columns";
import { fieldColumns } from "./recordset";
import { newIds } from "./sql";

/** ~360 KB of COPY data: a quarter of this wrote four times as often, for a few per cent less speed. */
const rowsPerPiece = 1000;
const fields = Object.keys(plainColumns) as (keyof typeof plainColumns)[];
const timestamps: ReadonlySet<string> = new Set(["createdOn", "acknowledgedOn", "resolvedOn"]);
/** Each plain field's binary form, by its column's type: 0 text, 1 integer, 2 timestamptz. */
const typeOf = (field: keyof typeof plainColumns) => (field === "number" ? 1 : timestamps.has(field) ? 2 : 0);
const columnTypes = fields.map(typeOf);
const columnCount = 3 + fields.length + 5;
const statement = `copy incidents (id, tenant_id, key, ${fieldColumns(incidents, plainColumns).names.join(", ")},
  source, version, last_import_id, created_at, updated_at) from stdin with (format binary)`;

async function* copyPieces({ tenantId, importId, now, object }: PlannedInsert): AsyncGenerator<Uint8Array> {
  const tenant = encodeColumns((w) => w.text(tenantId));
  const tail = encodeColumns((w) =>
    w.text("import").int4(1).text(importId).timestamptz(now).timestamptz(now),
  );
  const out = new CopyBinaryWriter();
  let ids: string[] = [];
  let rows = 0;
  for await (const batch of object.rows()) {
    for (const row of batch) {
      if (rows % rowsPerPiece === 0) ids = newIds("inc", rowsPerPiece);
      const values = row.fields ?? {};
      out
        .row(columnCount)
        .text(ids[rows % rowsPerPiece])
        .encoded(tenant)
        .text(row.key);
      // A switch, not `out[type](…)`: each call site stays monomorphic.
      for (let i = 0; i < fields.length; i++) {
        const value = values[fields[i] as string];
        const type = columnTypes[i];
        if (type === 0) out.text(value);
        else if (type === 1) out.int4(value);
        else out.timestamptz(value);
      }
      out.encoded(tail);
      rows += 1;
      if (rows % rowsPerPiece === 0) yield out.take();
    }
  }
  yield out.end().take();
}

/** The rows applied, or undefined when a key exists by now (the transaction is as it was). */
export async function copyPlanned(db: Database, copyIn: CopyIn, input: PlannedInsert) {
  await db.execute(sql`savepoint incidents_copy`);
  try {
    const applied = await copyIn(db, statement, copyPieces(input));
    await db.execute(sql`release savepoint incidents_copy`);
    return { applied, skipped: [] as string[] };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await db.execute(sql`rollback to savepoint incidents_copy`);
    return undefined;
  }
}
