import { createRouter } from "../router";
import { get, put, remove } from "./executors.handlers";
import { deleteExecutorRoute, getExecutorRoute, putExecutorRoute } from "./executors.routes";

export const executorsRouter = createRouter()
  .openapi(putExecutorRoute, put)
  .openapi(getExecutorRoute, get)
  .openapi(deleteExecutorRoute, remove);
