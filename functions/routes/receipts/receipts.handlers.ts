import type { RouteHandler } from "@hono/zod-openapi";
import { getReceiptWithProof } from "../../../shared/receipts/receipt-proofs";
import { verifyLog } from "../../../shared/receipts/verify-log";
import type { AppEnv } from "../../app-env";
import type { getReceiptRoute, verifyReceiptLogRoute } from "./receipts.routes";

export const getReceipt: RouteHandler<typeof getReceiptRoute, AppEnv> = async (c) => {
  const found = await getReceiptWithProof({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id });
  return c.json(found, 200);
};

export const verifyReceiptLog: RouteHandler<typeof verifyReceiptLogRoute, AppEnv> = async (c) => {
  return c.json(await verifyLog({ ctx: c.get("tenantCtx") }), 200);
};
