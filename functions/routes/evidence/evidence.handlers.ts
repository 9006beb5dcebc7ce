import type { RouteHandler } from "@hono/zod-openapi";
import { exportEvidence } from "../../../shared/receipts/evidence";
import type { AppEnv } from "../../app-env";
import type { exportEvidenceRoute } from "./evidence.routes";

const date = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

export const getEvidence: RouteHandler<typeof exportEvidenceRoute, AppEnv> = async (c) => {
  const { from, to } = c.req.valid("query");
  const idempotencyKey = c.req.valid("header")["idempotency-key"];
  const bundle = await exportEvidence({
    ctx: c.get("tenantCtx"),
    input: { from: date(from), to: date(to), idempotencyKey, requestId: c.get("requestId") },
  });
  c.header(
    "content-disposition",
    `attachment; filename="evidence-${bundle.tenant.slug}-${bundle.checkpoint.treeSize}.json"`,
  );
  return c.json(bundle, 200);
};
