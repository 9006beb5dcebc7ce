/**
 * runbooks → runbooks (current content by partner id) + runbook_versions (every content it
 * has had). Unchanged content is `unchanged`; changed content is a new version row.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { runbooks, runbookVersions } from "../../db/schema";
import type { CurrentRow, Fields, StateModule, StateWrite } from "../framework/types";
import { type RowOf, recordsetOf } from "./recordset";
import { contentHash, textArray, timestamp, withIds } from "./sql";

const written = recordsetOf(runbooks, ["key", "title", "content", "contentHash"]);
const row = (write: StateWrite): RowOf<typeof written> => ({
  key: write.key,
  title: typeof write.fields.title === "string" ? write.fields.title : write.key,
  content: write.fields,
  contentHash: contentHash(write.fields),
});

export const runbooksState: StateModule = {
  kind: "runbooks",
  tracksImports: true,

  project: (record) => record.fields as Fields,

  async load(db: Database, tenantId: string, keys: string[], lock = false) {
    const out = new Map<string, CurrentRow>();
    if (keys.length === 0) return out;
    const query = db
      .select({
        key: runbooks.key,
        content: runbooks.content,
        lastImportId: runbooks.lastImportId,
        version: runbooks.version,
      })
      .from(runbooks)
      .where(and(eq(runbooks.tenantId, tenantId), sql`${runbooks.key} = any(${textArray(keys)})`));
    for (const r of lock ? await query.for("update") : await query) {
      out.set(r.key, { fields: r.content as Fields, lastImportId: r.lastImportId, version: r.version });
    }
    return out;
  },

  async write(db, { tenantId, importId, now: date, creates, updates }) {
    const now = timestamp(date);
    if (creates.length > 0) {
      const insert = written.insert(withIds("rb", creates, row), {
        tenantId,
        currentVersion: 1,
        version: 1,
        lastImportId: importId,
        createdAt: now,
        updatedAt: now,
      });
      await db.execute(sql`with created as (${insert} returning key, current_version, content, content_hash)
        insert into runbook_versions (tenant_id, runbook_key, version_no, content, content_hash, import_id, created_at)
        select ${tenantId}, key, current_version, content, content_hash, ${importId}, ${now} from created`);
    }
    if (updates.length > 0) {
      const update = written.update(updates.map(row), {
        tenantId,
        match: ["key"],
        constants: { currentVersion: sql`t.current_version + 1`, lastImportId: importId, updatedAt: now },
      });
      await db.execute(sql`with changed as (${update}
          returning t.key, t.current_version, t.content, t.content_hash)
        insert into runbook_versions (tenant_id, runbook_key, version_no, content, content_hash, import_id, created_at)
        select ${tenantId}, key, current_version, content, content_hash, ${importId}, ${now} from changed`);
    }
  },

  async remove(db, tenantId, keys) {
    if (keys.length === 0) return;
    const keyList = textArray(keys);
    await db
      .delete(runbookVersions)
      .where(
        and(eq(runbookVersions.tenantId, tenantId), sql`${runbookVersions.runbookKey} = any(${keyList})`),
      );
    await db
      .delete(runbooks)
      .where(and(eq(runbooks.tenantId, tenantId), sql`${runbooks.key} = any(${keyList})`));
  },
};
