import { createRouter } from "../router";
import { friction, get, list, submit } from "./feedback.handlers";
import { frictionRoute, getFeedbackRoute, listFeedbackRoute, submitFeedbackRoute } from "./feedback.routes";

// The friction counts before `{id}`, so `/v1/feedback/friction` is not read as an id.
export const feedbackRouter = createRouter()
  .openapi(submitFeedbackRoute, submit)
  .openapi(listFeedbackRoute, list)
  .openapi(frictionRoute, friction)
  .openapi(getFeedbackRoute, get);
