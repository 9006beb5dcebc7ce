/**
 * Opens the database for one request and closes it afterwards. On Workers the
 * close runs under `waitUntil` so the response is not held back by it. A body
 * that streams from the database (`bodyDone`) keeps it open until it is sent.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { contextFor } from "../../shared/platform/platform";
import type { AppEnv } from "../app-env";

export const withDatabase = createMiddleware<AppEnv>(async (c, next) => {
  const platform = c.get("platform");
  const connection = platform.database.connect();
  c.set("ctx", contextFor(platform, connection.db, c.get("logger")));
  try {
    await next();
  } finally {
    const streaming = c.get("bodyDone");
    const closing = streaming ? streaming.catch(() => {}).then(() => connection.close()) : connection.close();
    // Node: a streaming body is sent after this returns, so its close is not awaited.
    if (!deferTo(c, closing) && !streaming) await closing;
  }
});

function deferTo(c: Context<AppEnv>, work: Promise<unknown>): boolean {
  try {
    c.executionCtx.waitUntil(work);
    return true;
  } catch {
    return false; // Node: no execution context
  }
}
