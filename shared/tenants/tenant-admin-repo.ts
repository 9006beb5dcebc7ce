import { asc } from "drizzle-orm";
import type { Database } from "../db/client";
import { type Tenant, tenants } from "../db/schema";
import { newerThan } from "../pagination/keyset";

/** All tenants, oldest first (staff view), keyset-paginated. Not tenant-scoped: pilot-ops only. */
export async function listAllTenants(
  db: Database,
  options: { limit: number; after?: { at: Date; id: string } },
): Promise<Tenant[]> {
  const after = options.after;
  return db
    .select()
    .from(tenants)
    .where(newerThan(tenants.createdAt, tenants.id, after))
    .orderBy(asc(tenants.createdAt), asc(tenants.id))
    .limit(options.limit + 1);
}
