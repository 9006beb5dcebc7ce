/** Plan stand-ins for tests that read plan objects without a database. */
import type { StoredPlan } from "../../shared/imports/framework/plan/plan-store";

/** A plan whose objects are NDJSON under `objectPrefix` (no source layout). */
export const ndjsonPlan = (objectPrefix: string): StoredPlan => ({
  id: "plan_1",
  tenantId: "ten_1",
  kind: "incidents",
  sourceSha256: "0".repeat(64),
  options: {},
  decisionId: "dec_1",
  objectPrefix,
  sourceLayout: null,
});
