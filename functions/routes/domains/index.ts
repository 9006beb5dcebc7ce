import { createRouter } from "../router";
import { add, get, list, remove, verify } from "./domains.handlers";
import {
  addDomainRoute,
  getDomainRoute,
  listDomainsRoute,
  removeDomainRoute,
  verifyDomainRoute,
} from "./domains.routes";

export const domainsRouter = createRouter()
  .openapi(addDomainRoute, add)
  .openapi(listDomainsRoute, list)
  .openapi(getDomainRoute, get)
  .openapi(verifyDomainRoute, verify)
  .openapi(removeDomainRoute, remove);
