/**
 * runbooks → runbooks (current content by partner id) + runbook_versions (every content it
 * has had). Unchanged content is `unchanged`; changed content is a new version row.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { runbooks, runbookVersions } from "../../db/schema";
import type { CurrentRow, Fields, StateModule, StateWrite } from "../framework/types";
import { contentHash, recordset, textArray, timestamp, withIds } from "./sql";

const row = (write: StateWrite) => ({
  key: write.key,
  title: typeof write.fields.title === "string" ? write.fields.title : write.key,
  content: write.fields,
  content_hash: contentHash(write.fields),
});
const columns = sql`x(id text, key text, title text, content jsonb, content_hash text)`;

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
      await db.execute(sql`with created as (
          insert into runbooks (id, tenant_id, key, title, content, content_hash, current_version, version, last_import_id, created_at, updated_at)
          select x.id, ${tenantId}, x.key, x.title, x.content, x.content_hash, 1, 1, ${importId}, ${now}, ${now}
          from jsonb_to_recordset(${recordset(withIds("rb", creates, row))}) as ${columns}
          returning key, current_version, content, content_hash)
        insert into runbook_versions (tenant_id, runbook_key, version_no, content, content_hash, import_id, created_at)
        select ${tenantId}, key, current_version, content, content_hash, ${importId}, ${now} from created`);
    }
    if (updates.length > 0) {
      await db.execute(sql`with changed as (
          update runbooks r set title = x.title, content = x.content, content_hash = x.content_hash,
            current_version = r.current_version + 1, last_import_id = ${importId}, updated_at = ${now}
          from jsonb_to_recordset(${recordset(updates.map(row))}) as ${columns}
          where r.tenant_id = ${tenantId} and r.key = x.key
          returning r.key, r.current_version, r.content, r.content_hash)
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
