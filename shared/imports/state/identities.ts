/**
 * identities → operators, by email. Stored: displayName, status and roles (`roles` jsonb,
 * `role` = the most privileged of them). The other profile fields an IdP export carries
 * (username, title, groups, …) have no column on operators and are not diffed.
 * Provenance as for the other kinds: writes set `last_import_id`, any other write (an admin
 * changing a role or suspending someone through the API) clears it and bumps `version`
 * (trigger), so such a row is a conflict in the next plan and revert refuses to undo it.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { operators } from "../../db/schema";
import { mostPrivileged } from "../../identity/roles";
import type { CurrentRow, Fields, StateModule, StateWrite } from "../framework/types";
import { recordset, textArray, timestamp, withIds } from "./sql";

/** The roles a stored operator has: the jsonb list while it agrees with `role`, else just `role`. */
export function effectiveRoles(role: string, roles: readonly string[]): string[] {
  return roles.length > 0 && mostPrivileged(roles) === role ? [...roles].sort() : [role];
}

const stored = ["email", "displayName", "status", "roles"] as const;

function row(write: StateWrite) {
  const f = write.fields;
  const roles = Array.isArray(f.roles) ? (f.roles as string[]) : [];
  return {
    email: write.key,
    display_name: typeof f.displayName === "string" ? f.displayName : write.key,
    status: f.status === "suspended" ? "suspended" : "active",
    role: mostPrivileged(roles) ?? "viewer",
    roles: [...roles].sort(),
  };
}

const columns = sql`x(id text, email text, display_name text, status text, role text, roles jsonb)`;

export const identitiesState: StateModule = {
  kind: "identities",
  tracksImports: true,

  project(record) {
    const fields = record.fields as Fields;
    const out: Fields = {};
    for (const name of stored) {
      const value = fields[name];
      if (value !== undefined && value !== null) out[name] = value;
    }
    return out;
  },

  check(record) {
    const roles = (record.fields as { roles?: string[] }).roles ?? [];
    const staff = roles.find((role) => role === "pilot-ops" || role === "flag-admin");
    if (staff === undefined) return undefined;
    return {
      column: "roles",
      code: "role_not_importable",
      message: `${staff} is a role of Switchboard staff; an import cannot grant it.`,
      hint: "Map the group to admin, approver, operator, auditor or viewer.",
    };
  },

  async load(db: Database, tenantId: string, keys: string[], lock = false) {
    const out = new Map<string, CurrentRow>();
    if (keys.length === 0) return out;
    const query = db
      .select({
        email: operators.email,
        displayName: operators.displayName,
        status: operators.status,
        role: operators.role,
        roles: operators.roles,
        lastImportId: operators.lastImportId,
        version: operators.version,
      })
      .from(operators)
      .where(and(eq(operators.tenantId, tenantId), sql`${operators.email} = any(${textArray(keys)})`));
    for (const r of lock ? await query.for("update") : await query) {
      out.set(r.email, {
        fields: {
          email: r.email,
          displayName: r.displayName,
          status: r.status,
          roles: effectiveRoles(r.role, r.roles),
        },
        lastImportId: r.lastImportId,
        version: r.version,
      });
    }
    return out;
  },

  grantsAdmin(after, before) {
    const has = (fields: Fields | undefined) =>
      Array.isArray(fields?.roles) && (fields.roles as string[]).includes("admin");
    return has(after) && !has(before);
  },

  async write(db, { tenantId, importId, now: date, creates, updates }) {
    const now = timestamp(date);
    if (creates.length > 0) {
      await db.execute(sql`insert into operators (id, tenant_id, email, display_name, status, role, roles, version, last_import_id, created_at, updated_at)
        select x.id, ${tenantId}, x.email, x.display_name, x.status, x.role, x.roles, 1, ${importId}, ${now}, ${now}
        from jsonb_to_recordset(${recordset(withIds("op", creates, row))}) as ${columns}`);
    }
    if (updates.length > 0) {
      await db.execute(sql`update operators o set display_name = x.display_name, status = x.status,
          role = x.role, roles = x.roles, last_import_id = ${importId}, updated_at = ${now}
        from jsonb_to_recordset(${recordset(updates.map(row))}) as ${columns}
        where o.tenant_id = ${tenantId} and o.email = x.email`);
    }
  },

  async remove(db, tenantId, keys) {
    if (keys.length === 0) return;
    await db
      .delete(operators)
      .where(and(eq(operators.tenantId, tenantId), sql`${operators.email} = any(${textArray(keys)})`));
  },
};
