import { integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { at } from "../columns";
import type { FlagConfig } from "./flags";

/** Every change to a flag, with the configuration before and after: what rollback restores. */
export const flagVersions = pgTable(
  "flag_versions",
  {
    key: text("key").notNull(),
    version: integer("version").notNull(),
    /** `created`, `updated`, `rolled_back`, `ramp.advanced`, … */
    change: text("change").notNull(),
    before: jsonb("before").$type<FlagConfig>(),
    after: jsonb("after").$type<FlagConfig>().notNull(),
    digest: text("digest").notNull(),
    /** `api_key:key_…`, `system:cron`. */
    actor: text("actor").notNull(),
    /** The receipt in the `switchboard` tenant's log. */
    receiptId: text("receipt_id").notNull(),
    /** For a rollback, the version whose configuration it restored. */
    restoredVersion: integer("restored_version"),
    changedAt: at("changed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.version] })],
);

export type FlagVersion = typeof flagVersions.$inferSelect;
