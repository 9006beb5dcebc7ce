import type { RouteHandler } from "@hono/zod-openapi";
import { decideApproval, getApproval, listApprovals } from "../../../shared/ops/approvals/approvals";
import type { AppEnv } from "../../app-env";
import type { approveRoute, denyRoute, getApprovalRoute, listApprovalsRoute } from "./approvals.routes";

type Done = Awaited<ReturnType<typeof decideApproval>>;
const acted = ({ approval, receiptId }: Done) => ({ ...approval, receiptId });

export const list: RouteHandler<typeof listApprovalsRoute, AppEnv> = async (c) =>
  c.json(await listApprovals({ ctx: c.get("tenantCtx"), input: c.req.valid("query") }), 200);

export const get: RouteHandler<typeof getApprovalRoute, AppEnv> = async (c) =>
  c.json(await getApproval({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id }), 200);

export const approve: RouteHandler<typeof approveRoute, AppEnv> = async (c) => {
  const input = { approve: true };
  return c.json(
    acted(await decideApproval({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id, input })),
    200,
  );
};

export const deny: RouteHandler<typeof denyRoute, AppEnv> = async (c) => {
  const input = { approve: false, reason: c.req.valid("json").reason };
  return c.json(
    acted(await decideApproval({ ctx: c.get("tenantCtx"), id: c.req.valid("param").id, input })),
    200,
  );
};
