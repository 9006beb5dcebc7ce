import { createRouter } from "../router";
import { get } from "./decisions.handlers";
import { getDecisionRoute } from "./decisions.routes";

export const decisionsRouter = createRouter().openapi(getDecisionRoute, get);
