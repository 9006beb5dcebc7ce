import { createRouter } from "../router";
import { success } from "./metrics.handlers";
import { successRoute } from "./metrics.routes";

export const metricsRouter = createRouter().openapi(successRoute, success);
