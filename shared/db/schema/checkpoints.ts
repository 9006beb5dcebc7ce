import { bigint, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { at, tenantId } from "../columns";
import { tenants } from "./tenants";

/** Signed tree heads: a JWS over tenant, tree size, root hash and time. */
export const checkpoints = pgTable(
  "checkpoints",
  {
    tenantId: tenantId().references(() => tenants.id),
    treeSize: bigint("tree_size", { mode: "number" }).notNull(),
    rootHash: text("root_hash").notNull(),
    issuedAt: at("issued_at").notNull(),
    kid: text("kid").notNull(),
    jws: text("jws").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.treeSize] })],
);

export type Checkpoint = typeof checkpoints.$inferSelect;
