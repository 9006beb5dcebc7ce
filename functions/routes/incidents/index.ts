import { createRouter } from "../router";
import { acknowledge, get, list, open, resolve } from "./incidents.handlers";
import {
  acknowledgeIncidentRoute,
  getIncidentRoute,
  listIncidentsRoute,
  openIncidentRoute,
  resolveIncidentRoute,
} from "./incidents.routes";

export const incidentsRouter = createRouter()
  .openapi(openIncidentRoute, open)
  .openapi(listIncidentsRoute, list)
  .openapi(getIncidentRoute, get)
  .openapi(acknowledgeIncidentRoute, acknowledge)
  .openapi(resolveIncidentRoute, resolve);
