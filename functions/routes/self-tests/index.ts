import { createRouter } from "../router";
import { createSelfTest, readSelfTest } from "./self-tests.handlers";
import { createSelfTestRoute, getSelfTestRoute } from "./self-tests.routes";

export const selfTestsRouter = createRouter()
  .openapi(createSelfTestRoute, createSelfTest)
  .openapi(getSelfTestRoute, readSelfTest);
