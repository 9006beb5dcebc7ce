import type { Database } from "../../db/client";
import { telemetryEvents } from "../../db/schema";

/** Idempotent: a retried action has the same receipt id, hence the same event. */
export async function insertTelemetryEvent(db: Database, event: typeof telemetryEvents.$inferInsert) {
  await db.insert(telemetryEvents).values(event).onConflictDoNothing();
}
