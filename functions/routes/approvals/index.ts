import { createRouter } from "../router";
import { approve, deny, get, list } from "./approvals.handlers";
import { approveRoute, denyRoute, getApprovalRoute, listApprovalsRoute } from "./approvals.routes";

export const approvalsRouter = createRouter()
  .openapi(listApprovalsRoute, list)
  .openapi(getApprovalRoute, get)
  .openapi(approveRoute, approve)
  .openapi(denyRoute, deny);
