import { createRouter } from "../router";
import { cancel, get, list, outcome, request } from "./commands.handlers";
import {
  cancelCommandRoute,
  getCommandRoute,
  listCommandsRoute,
  recordOutcomeRoute,
  requestCommandRoute,
} from "./commands.routes";

export const commandsRouter = createRouter()
  .openapi(requestCommandRoute, request)
  .openapi(listCommandsRoute, list)
  .openapi(getCommandRoute, get)
  .openapi(cancelCommandRoute, cancel)
  .openapi(recordOutcomeRoute, outcome);
