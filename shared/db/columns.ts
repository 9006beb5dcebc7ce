import { text, timestamp } from "drizzle-orm/pg-core";

/** Shared column helpers: every tenant-owned table starts with `tenant_id`. */
export const id = () => text("id").primaryKey();
export const tenantId = () => text("tenant_id").notNull();
export const createdAt = () =>
  timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
