import { createRouter } from "../router";
import { evaluate, get, list, put, rampPlan, rollback, startRamp, versions } from "./flags.handlers";
import {
  createRampPlanRoute,
  evaluateFlagsRoute,
  getFlagRoute,
  getRampPlanRoute,
  listFlagsRoute,
  listFlagVersionsRoute,
  putFlagRoute,
  rollbackFlagRoute,
} from "./flags.routes";

// `evaluate` first: a literal path before `{key}` patterns.
export const flagsRouter = createRouter()
  .openapi(evaluateFlagsRoute, evaluate)
  .openapi(listFlagsRoute, list)
  .openapi(getFlagRoute, get)
  .openapi(putFlagRoute, put)
  .openapi(listFlagVersionsRoute, versions)
  .openapi(rollbackFlagRoute, rollback)
  .openapi(createRampPlanRoute, startRamp)
  .openapi(getRampPlanRoute, rampPlan);
