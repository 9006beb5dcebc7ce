import { createMiddleware } from "hono/factory";
import { AppError } from "../../shared/errors/app-error";
import type { AppEnv } from "../app-env";

/** Declared on a route: its body must be one of `types`, otherwise 415. */
export function requireContentType(...types: string[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const mediaType = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (!types.includes(mediaType)) {
      throw new AppError(
        "unsupported_media_type",
        `Send the body as ${types.join(" or ")}${mediaType ? `, not ${mediaType}` : ""}.`,
        { headers: { "accept-post": types.join(", ") } },
      );
    }
    await next();
  });
}
