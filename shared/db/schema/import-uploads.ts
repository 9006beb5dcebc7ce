import { bigint, index, pgTable, text } from "drizzle-orm/pg-core";
import { at, createdAt, id, tenantId } from "../columns";
import { tenants } from "./tenants";

/** A slot for a large import file: a presigned PUT (or this API's own PUT) until `expires_at`. */
export const importUploads = pgTable(
  "import_uploads",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id),
    objectKey: text("object_key").notNull(),
    name: text("name"),
    contentType: text("content_type"),
    maxBytes: bigint("max_bytes", { mode: "number" }).notNull(),
    createdBy: text("created_by").notNull(),
    expiresAt: at("expires_at").notNull(),
    /** Set when the file arrived through this API's own PUT (stores that cannot presign). */
    receivedAt: at("received_at"),
    createdAt: createdAt(),
  },
  (t) => [index("import_uploads_tenant_idx").on(t.tenantId, t.createdAt)],
);

export type ImportUpload = typeof importUploads.$inferSelect;
