/**
 * Every table an import kind writes (shared/imports/registry.ts) carries the import triggers
 * (shared/db/import-triggers.ts), as the migrated database really has them (pg_trigger):
 * without them a kind imports, but its watermark never moves (plans never go stale) and its
 * rows' `version` stays 1 (revert cannot tell a later change).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../shared/db/client";
import { importTriggerStatements, missingImportTriggers } from "../../shared/db/import-triggers";
import { importTables } from "../../shared/imports/registry";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

let database: TestDatabase;
let db: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  db = database.connect().db;
}, 60_000);
afterAll(() => database.shutdown());

describe("import triggers", () => {
  it("are on every table of every registered kind", async () => {
    const tables = importTables();
    expect(tables.map((t) => t.table).sort()).toEqual(
      ["graph_edges", "graph_entities", "incidents", "operators", "runbooks"].sort(),
    );
    expect(await missingImportTriggers(db, tables)).toEqual([]);
  });

  it("are missed when one is dropped, disabled or bumps another kind", async () => {
    const tables = importTables();
    await db.execute(sql`drop trigger runbooks_state_update on runbooks`);
    await db.execute(sql`drop trigger incidents_row_version on incidents`);
    await db.execute(sql`alter table operators disable trigger operators_state_delete`);
    await db.execute(sql`drop trigger graph_edges_state_insert on graph_edges`);
    await db.execute(
      sql.raw(
        "CREATE TRIGGER graph_edges_state_insert AFTER INSERT ON graph_edges REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_state('runbooks')",
      ),
    );
    expect(await missingImportTriggers(db, tables)).toEqual([
      "operators: AFTER DELETE … bump_tenant_state('identities')",
      "runbooks: AFTER UPDATE … bump_tenant_state('runbooks')",
      "incidents: BEFORE UPDATE FOR EACH ROW … bump_row_version()",
      "graph_edges: AFTER INSERT … bump_tenant_state('graph')",
    ]);
    // The helper's statements put them back.
    await db.execute(sql`drop trigger graph_edges_state_insert on graph_edges`);
    await db.execute(sql`alter table operators enable trigger operators_state_delete`);
    for (const table of tables.filter((t) => ["runbooks", "incidents", "graph_edges"].includes(t.table))) {
      for (const statement of importTriggerStatements(table)) {
        const name = /CREATE TRIGGER (\w+)/.exec(statement)?.[1] ?? "";
        await db.execute(sql.raw(`DROP TRIGGER IF EXISTS ${name} ON ${table.table}`));
        await db.execute(sql.raw(statement));
      }
    }
    expect(await missingImportTriggers(db, tables)).toEqual([]);
  });
});
