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
import { type RowOf, recordsetOf } from "./recordset";
import { textArray, timestamp, withIds } from "./sql";

/** The roles a stored operator has: the jsonb list while it agrees with `role`, else just `role`. */
export function effectiveRoles(role: string, roles: readonly string[]): string[] {
  return roles.length > 0 && mostPrivileged(roles) === role ? [...roles].sort() : [role];
}

const stored = ["email", "displayName", "status", "roles"] as const;

const written = recordsetOf(operators, ["email", "displayName", "status", "role", "roles"]);

function row(write: StateWrite): RowOf<typeof written> {
  const f = write.fields;
  const roles = Array.isArray(f.roles) ? (f.roles as string[]) : [];
  return {
    email: write.key,
    displayName: typeof f.displayName === "string" ? f.displayName : write.key,
    status: f.status === "suspended" ? "suspended" : "active",
    role: mostPrivileged(roles) ?? "viewer",
    roles: [...roles].sort(),
  };
}

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
      const constants = { tenantId, version: 1, lastImportId: importId, createdAt: now, updatedAt: now };
      await db.execute(written.insert(withIds("op", creates, row), constants));
    }
    if (updates.length > 0) {
      const constants = { lastImportId: importId, updatedAt: now };
      await db.execute(written.update(updates.map(row), { tenantId, match: ["email"], constants }));
    }
  },

  async remove(db, tenantId, keys) {
    if (keys.length === 0) return;
    await db
      .delete(operators)
      .where(and(eq(operators.tenantId, tenantId), sql`${operators.email} = any(${textArray(keys)})`));
  },
};
