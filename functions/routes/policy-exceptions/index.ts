import { createRouter } from "../router";
import { create, list, revoke } from "./policy-exceptions.handlers";
import {
  createPolicyExceptionRoute,
  listPolicyExceptionsRoute,
  revokePolicyExceptionRoute,
} from "./policy-exceptions.routes";

export const policyExceptionsRouter = createRouter()
  .openapi(createPolicyExceptionRoute, create)
  .openapi(listPolicyExceptionsRoute, list)
  .openapi(revokePolicyExceptionRoute, revoke);
