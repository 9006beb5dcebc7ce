import { createRouter } from "../router";
import { add, get, list, remove } from "./domains.handlers";
import { addDomainRoute, getDomainRoute, listDomainsRoute, removeDomainRoute } from "./domains.routes";

export const domainsRouter = createRouter()
  .openapi(addDomainRoute, add)
  .openapi(listDomainsRoute, list)
  .openapi(getDomainRoute, get)
  .openapi(removeDomainRoute, remove);
