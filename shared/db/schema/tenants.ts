import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id } from "../columns";

export const tenants = pgTable(
  "tenants",
  {
    id: id(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    status: text("status", { enum: ["active", "suspended"] })
      .notNull()
      .default("active"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("tenants_slug_key").on(t.slug),
    /** The staff list: oldest first by (created_at, id), keyset pages. */
    index("tenants_list_idx").on(t.createdAt, t.id),
  ],
);

export type Tenant = typeof tenants.$inferSelect;
