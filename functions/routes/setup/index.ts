import { createRouter } from "../router";
import { checklist, mark, undo } from "./setup.handlers";
import { getChecklistRoute, markStepRoute, undoMarkRoute } from "./setup.routes";

export const setupRouter = createRouter()
  .openapi(getChecklistRoute, checklist)
  .openapi(markStepRoute, mark)
  .openapi(undoMarkRoute, undo);
