import { createRouter } from "../router";
import { getHealth, getJwks, getReadiness } from "./health.handlers";
import { healthz, jwks, readyz } from "./health.routes";

export const healthRouter = createRouter()
  .openapi(healthz, getHealth)
  .openapi(readyz, getReadiness)
  .openapi(jwks, getJwks);
