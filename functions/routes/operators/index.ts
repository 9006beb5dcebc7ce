import { createRouter } from "../router";
import { get, invite, list, reactivate, suspend, update } from "./operators.handlers";
import {
  getOperatorRoute,
  inviteOperatorRoute,
  listOperatorsRoute,
  reactivateOperatorRoute,
  suspendOperatorRoute,
  updateOperatorRoute,
} from "./operators.routes";

export const operatorsRouter = createRouter()
  .openapi(inviteOperatorRoute, invite)
  .openapi(listOperatorsRoute, list)
  .openapi(getOperatorRoute, get)
  .openapi(updateOperatorRoute, update)
  .openapi(suspendOperatorRoute, suspend)
  .openapi(reactivateOperatorRoute, reactivate);
