import { createRouter } from "../router";
import { getTimeline } from "./timeline.handlers";
import { listTimelineRoute } from "./timeline.routes";

export const timelineRouter = createRouter().openapi(listTimelineRoute, getTimeline);
