import { OpenAPIHono } from "@hono/zod-openapi";
import { AppError } from "../shared/errors/app-error";
import type { Platform } from "../shared/platform/platform";
import { mountRoutes } from "./api";
import type { AppEnv } from "./app-env";
import { renderReferencePage } from "./docs/reference-page";
import { authenticate } from "./middleware/auth";
import { limitBodies } from "./middleware/body-limit";
import { withDatabase } from "./middleware/database";
import { methodNotAllowed } from "./middleware/method-not-allowed";
import { problemResponse, toAppError, validationHook } from "./middleware/problem";
import { requestContext } from "./middleware/request-context";
import { requestTelemetry } from "./middleware/request-telemetry";
import { resolveTenantHost } from "./middleware/tenant-host";
import { openApiDocument } from "./openapi/document";
import { renderAdminPage } from "./ui/admin-page";

/** The whole HTTP surface, the same on Workers and on Node. */
export function createApp(platform: Platform) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("*", requestContext(platform));
  app.use("/v1/*", requestTelemetry(platform));
  app.use(
    "*",
    limitBodies(platform.config.MAX_BODY_BYTES, [
      // uploads through the API when the object store cannot presign: streamed, up to the slot's limit
      { method: "PUT", path: /^\/v1\/imports\/uploads\/[^/]+$/ },
    ]),
  );
  app.use("/readyz", withDatabase);
  app.use("/branding", withDatabase);
  app.use("/v1/*", withDatabase, resolveTenantHost, authenticate);
  // OpenFeature clients read flags with the same credentials as the API.
  app.use("/ofrep/*", withDatabase, resolveTenantHost, authenticate);
  mountRoutes(app);

  let document: ReturnType<typeof openApiDocument> | undefined;
  const spec = () => {
    document ??= openApiDocument(app);
    return document;
  };
  app.get("/openapi.json", (c) => c.json(spec()));
  app.get("/docs", (c) => c.html(renderReferencePage(spec())));
  app.get("/admin", (c) => c.html(renderAdminPage()));
  app.get("/", (c) => c.redirect("/admin"));

  app.notFound((c) => {
    const allowed = methodNotAllowed(app.routes, c.req.method, new URL(c.req.url).pathname);
    if (allowed.length > 0) {
      return problemResponse(
        c,
        new AppError(
          "method_not_allowed",
          `${c.req.method} is not allowed here; use ${allowed.join(", ")}.`,
          {
            headers: { allow: allowed.join(", ") },
          },
        ),
      );
    }
    return problemResponse(c, new AppError("not_found", `Nothing at ${new URL(c.req.url).pathname}.`));
  });
  app.onError((error, c) => problemResponse(c, toAppError(error, c)));
  return app;
}

export type App = ReturnType<typeof createApp>;
