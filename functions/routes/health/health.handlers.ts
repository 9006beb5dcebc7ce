import type { RouteHandler } from "@hono/zod-openapi";
import { checkReadiness } from "../../../shared/health/readiness";
import type { AppEnv } from "../../app-env";
import type { healthz, jwks, readyz } from "./health.routes";

export const getHealth: RouteHandler<typeof healthz, AppEnv> = (c) =>
  c.json({ status: "ok" as const, runtime: c.get("platform").runtime }, 200);

export const getReadiness: RouteHandler<typeof readyz, AppEnv> = async (c) => {
  const readiness = await checkReadiness({ ctx: c.get("ctx") });
  return c.json(readiness, readiness.status === "ready" ? 200 : 503);
};

export const getJwks: RouteHandler<typeof jwks, AppEnv> = (c) => {
  c.header("cache-control", "public, max-age=300");
  return c.json(c.get("platform").signer.jwks(), 200);
};
