import { createRouter } from "../router";
import { create, get, launch, list, version, versions } from "./runbooks.handlers";
import {
  addVersionRoute,
  createRunbookRoute,
  getRunbookRoute,
  launchRunRoute,
  listRunbooksRoute,
  listVersionsRoute,
} from "./runbooks.routes";

export const runbooksRouter = createRouter()
  .openapi(listRunbooksRoute, list)
  .openapi(createRunbookRoute, create)
  .openapi(getRunbookRoute, get)
  .openapi(listVersionsRoute, versions)
  .openapi(addVersionRoute, version)
  .openapi(launchRunRoute, launch);
