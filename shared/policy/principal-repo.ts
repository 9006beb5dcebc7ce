import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { operators, type Role } from "../db/schema";

/** An operator's stored role and roles, within one tenant. */
export async function findOperatorRoles(
  db: Database,
  tenantId: string,
  id: string,
): Promise<{ role: Role; roles: string[] } | undefined> {
  const [row] = await db
    .select({ role: operators.role, roles: operators.roles })
    .from(operators)
    .where(and(eq(operators.tenantId, tenantId), eq(operators.id, id)))
    .limit(1);
  return row;
}
