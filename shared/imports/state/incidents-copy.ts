/**
 * The COPY path of an incident create chunk, for drivers with `copyIn` (node-postgres):
 * the plan object streams from the store and its rows go on to Postgres as COPY text in
 * pieces of `rowsPerPiece` (Postgres takes in one piece while the next is written; the
 * object is never in memory whole), at about half the server work of an INSERT that
 * parses the NDJSON itself. COPY has no ON CONFLICT: a key that exists by now (written
 * since the plan) fails it with a unique violation, the savepoint takes it back, and the
 * caller's INSERT path skips such rows.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { copyValue } from "../../db/copy-text";
import { isUniqueViolation } from "../../db/errors";
import type { CopyIn } from "../../platform/ports";
import type { PlannedInsert, PlanRow } from "../framework/types";
import { plainColumns } from "./incidents-columns";
import { newIds } from "./sql";

const rowsPerPiece = 250;
const fields = Object.keys(plainColumns) as (keyof typeof plainColumns)[];
const statement = `copy incidents (id, tenant_id, key, ${Object.values(plainColumns).join(", ")},
  source, version, last_import_id, created_at, updated_at) from stdin`;

async function* copyPieces({ tenantId, importId, now, object }: PlannedInsert): AsyncGenerator<string> {
  const head = `\t${copyValue(tenantId)}\t`;
  const tail = `\timport\t1\t${copyValue(importId)}\t${now.toISOString()}\t${now.toISOString()}\n`;
  let ids: string[] = [];
  let piece = "";
  let rows = 0;
  for await (const line of object.lines()) {
    if (rows % rowsPerPiece === 0) ids = newIds("inc", rowsPerPiece);
    const row = JSON.parse(line) as PlanRow;
    const values = row.fields ?? {};
    piece += `${ids[rows % rowsPerPiece]}${head}${copyValue(row.key)}`;
    for (const field of fields) piece += `\t${copyValue(values[field])}`;
    piece += tail;
    rows += 1;
    if (rows % rowsPerPiece === 0) {
      yield piece;
      piece = "";
    }
  }
  if (piece !== "") yield piece;
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
