import { createRouter } from "../router";
import { ingest, list, requests } from "./telemetry.handlers";
import { ingestRoute, listEventsRoute, requestStatsRoute } from "./telemetry.routes";

export const telemetryRouter = createRouter()
  .openapi(ingestRoute, ingest)
  .openapi(listEventsRoute, list)
  .openapi(requestStatsRoute, requests);
