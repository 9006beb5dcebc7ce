/** The imports list: newest first, keyset-paginated, with each import's source; always within one tenant. */
import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { type ImportStatus, importPlans, imports } from "../../../db/schema";
import type { Position } from "../../../pagination/cursor";
import { olderThan } from "../../../pagination/keyset";
import type { ImportKind } from "../../types";

export interface ImportListFilter {
  limit: number;
  after?: Position;
  kind?: ImportKind;
  status?: ImportStatus;
}

/** `limit + 1` rows (for pageOf), each with its plan's source digest and name. */
export async function listImportRows(db: Database, tenantId: string, filter: ImportListFilter) {
  return db
    .select({ imp: imports, sourceSha256: importPlans.sourceSha256, sourceName: importPlans.sourceName })
    .from(imports)
    .leftJoin(
      importPlans,
      and(eq(importPlans.tenantId, imports.tenantId), eq(importPlans.id, imports.planId)),
    )
    .where(
      and(
        eq(imports.tenantId, tenantId),
        filter.kind ? eq(imports.kind, filter.kind) : undefined,
        filter.status ? eq(imports.status, filter.status) : undefined,
        olderThan(imports.createdAt, imports.id, filter.after),
      ),
    )
    .orderBy(desc(imports.createdAt), desc(imports.id))
    .limit(filter.limit + 1);
}
