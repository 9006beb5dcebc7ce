import { createRoute, z } from "@hono/zod-openapi";
import { publicErrorResponses } from "../../openapi/problem-schema";

const CheckSchema = z.enum(["ok", "failed"]).openapi({
  description:
    "Whether the dependency answered. Why one failed is logged under the response's `x-request-id`.",
});

export const HealthSchema = z
  .object({ status: z.literal("ok"), runtime: z.enum(["node", "workers"]) })
  .openapi("Health");

export const ReadinessSchema = z
  .object({
    status: z.enum(["ready", "not_ready"]),
    checks: z.object({ database: CheckSchema, objectStore: CheckSchema }),
  })
  .openapi("Readiness");

export const JwksSchema = z
  .object({
    keys: z.array(
      z.object({
        kty: z.string(),
        crv: z.string().optional(),
        x: z.string().optional(),
        kid: z.string(),
        alg: z.string().optional(),
        use: z.string().optional(),
      }),
    ),
  })
  .openapi("Jwks");

export const healthz = createRoute({
  method: "get",
  path: "/healthz",
  operationId: "getHealth",
  summary: "Liveness",
  description: "Answers while the process serves requests. Checks no dependency; see `/readyz`.",
  tags: ["System"],
  responses: {
    200: { description: "Alive", content: { "application/json": { schema: HealthSchema } } },
    ...publicErrorResponses,
  },
});

export const readyz = createRoute({
  method: "get",
  path: "/readyz",
  operationId: "getReadiness",
  summary: "Readiness",
  description:
    "Checks the database and the object store; 503 when either fails. Public: it says which dependency failed, never why; the error is logged with the request id.",
  tags: ["System"],
  responses: {
    200: { description: "Ready", content: { "application/json": { schema: ReadinessSchema } } },
    ...publicErrorResponses,
    503: { description: "A dependency failed", content: { "application/json": { schema: ReadinessSchema } } },
  },
});

export const jwks = createRoute({
  method: "get",
  path: "/.well-known/jwks.json",
  operationId: "getJwks",
  summary: "Public signing keys",
  description:
    "The Ed25519 public keys that verify Switchboard's signatures (checkpoints, manifests, executor calls). Retired keys stay listed after a rotation.",
  tags: ["System"],
  responses: {
    200: { description: "JWKS", content: { "application/json": { schema: JwksSchema } } },
    ...publicErrorResponses,
  },
});
