import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { type Operator, operators } from "../db/schema";
import { olderThan } from "../pagination/keyset";

/** Undefined when the email or subject is taken in this tenant (unique indexes, race-safe). */
export async function insertOperator(
  db: Database,
  row: typeof operators.$inferInsert,
): Promise<Operator | undefined> {
  const [created] = await db.insert(operators).values(row).onConflictDoNothing().returning();
  return created;
}

export async function findOperator(
  db: Database,
  tenantId: string,
  id: string,
): Promise<Operator | undefined> {
  const [row] = await db
    .select()
    .from(operators)
    .where(and(eq(operators.tenantId, tenantId), eq(operators.id, id)))
    .limit(1);
  return row;
}

/** The operator an OIDC token names, by `sub` or by (lowercased) email, within one tenant. */
export async function findOperatorByClaim(
  db: Database,
  tenantId: string,
  by: { subject: string } | { email: string },
): Promise<Operator | undefined> {
  const match = "subject" in by ? eq(operators.subject, by.subject) : eq(operators.email, by.email);
  const [row] = await db
    .select()
    .from(operators)
    .where(and(eq(operators.tenantId, tenantId), match))
    .limit(1);
  return row;
}

/** Newest first, keyset-paginated; always within one tenant. */
export async function listOperators(
  db: Database,
  tenantId: string,
  options: { limit: number; after?: { at: Date; id: string }; status?: Operator["status"] },
): Promise<Operator[]> {
  const after = options.after;
  return db
    .select()
    .from(operators)
    .where(
      and(
        eq(operators.tenantId, tenantId),
        options.status ? eq(operators.status, options.status) : undefined,
        olderThan(operators.createdAt, operators.id, after),
      ),
    )
    .orderBy(desc(operators.createdAt), desc(operators.id))
    .limit(options.limit + 1);
}

export async function updateOperatorRow(
  db: Database,
  tenantId: string,
  id: string,
  patch: Partial<Pick<Operator, "role" | "roles" | "displayName" | "subject" | "status" | "updatedAt">>,
): Promise<Operator | undefined> {
  const [row] = await db
    .update(operators)
    .set(patch)
    .where(and(eq(operators.tenantId, tenantId), eq(operators.id, id)))
    .returning();
  return row;
}
