import { createRouter } from "../router";
import { get, put, remove } from "./idp.handlers";
import { deleteIdpRoute, getIdpRoute, putIdpRoute } from "./idp.routes";

export const idpRouter = createRouter()
  .openapi(putIdpRoute, put)
  .openapi(getIdpRoute, get)
  .openapi(deleteIdpRoute, remove);
