import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
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
  (t) => [uniqueIndex("tenants_slug_key").on(t.slug)],
);

export type Tenant = typeof tenants.$inferSelect;
