import { createRouter } from "../router";
import { complete, get, list } from "./runbook-runs.handlers";
import { completeStepRoute, getRunRoute, listRunsRoute } from "./runbook-runs.routes";

export const runbookRunsRouter = createRouter()
  .openapi(listRunsRoute, list)
  .openapi(getRunRoute, get)
  .openapi(completeStepRoute, complete);
