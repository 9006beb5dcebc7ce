import { createRouter } from "../router";
import { cancel, complete, get, list } from "./runbook-runs.handlers";
import { cancelRunRoute, completeStepRoute, getRunRoute, listRunsRoute } from "./runbook-runs.routes";

export const runbookRunsRouter = createRouter()
  .openapi(listRunsRoute, list)
  .openapi(getRunRoute, get)
  .openapi(completeStepRoute, complete)
  .openapi(cancelRunRoute, cancel);
