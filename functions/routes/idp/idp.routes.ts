import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../middleware/auth";
import { requireContentType } from "../../middleware/content-type";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";

const url = z.url().max(2048);

export const IdpSettingsBody = z
  .object({
    issuer: url.openapi({
      description:
        "Exactly the `iss` of the IdP's tokens. https to a public address: loopback, private, link-local (metadata), CGNAT and unique-local hosts are refused, here and at every request (loopback only on a development server with OUTBOUND_ALLOW_LOOPBACK).",
      example: "https://login.partner.example",
    }),
    audience: z.string().trim().min(1).max(255).openapi({
      description: "The `aud` tokens must carry for Switchboard.",
      example: "switchboard-pilot",
    }),
    jwksUrl: url.openapi({
      description:
        "Where the IdP publishes its signing keys. https to a public address: loopback, private, link-local (metadata), CGNAT and unique-local hosts are refused, here and at every request (loopback only on a development server with OUTBOUND_ALLOW_LOOPBACK).",
      example: "https://login.partner.example/.well-known/jwks.json",
    }),
    matchBy: z.enum(["subject", "email"]).default("email").openapi({
      description: "Which claim finds the operator: `sub` (`subject`) or `email`.",
    }),
  })
  .strict()
  .openapi("IdpSettingsInput");

export const IdpSettingsSchema = z
  .object({
    issuer: z.string(),
    audience: z.string(),
    jwksUrl: z.string(),
    matchBy: z.enum(["subject", "email"]),
    updatedAt: z.string().datetime(),
  })
  .openapi("IdpSettings");

export const ConfiguredIdpSchema = IdpSettingsSchema.extend({
  receiptId: z.string().openapi({ description: "The `idp.configured` receipt of this change." }),
}).openapi("ConfiguredIdp");

const base = { security: bearerAuth, tags: ["Identity"] };

export const putIdpRoute = createRoute({
  ...base,
  method: "put",
  path: "/v1/idp",
  operationId: "configureIdp",
  summary: "Configure the tenant's OIDC identity provider",
  description:
    "Bearer JWTs are then verified against this IdP: signature (RS256, ES256 or EdDSA) with a key from `jwksUrl`, `iss`, `aud`, `exp` and `nbf` (30 s tolerance), and mapped to an active operator (by `email` only when the token says `email_verified: true`). An issuer and audience pair belongs to one tenant: another tenant's pair answers 409. Leaves an `idp.configured` receipt.",
  middleware: [requireRole("admin"), requireContentType("application/json")] as const,
  request: { body: { required: true, content: { "application/json": { schema: IdpSettingsBody } } } },
  responses: {
    200: { description: "Configured", content: { "application/json": { schema: ConfiguredIdpSchema } } },
    ...errorResponses(403, 409, 413, 415),
  },
});

export const getIdpRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/idp",
  operationId: "getIdp",
  summary: "Read the tenant's OIDC identity provider settings",
  middleware: [requireRole("admin")] as const,
  responses: {
    200: { description: "The settings", content: { "application/json": { schema: IdpSettingsSchema } } },
    ...errorResponses(403, 404),
  },
});

export const deleteIdpRoute = createRoute({
  ...base,
  method: "delete",
  path: "/v1/idp",
  operationId: "removeIdp",
  summary: "Remove the tenant's OIDC identity provider",
  description:
    "Bearer JWTs stop being accepted at once; API keys are unaffected. Leaves an `idp.removed` receipt.",
  middleware: [requireRole("admin")] as const,
  responses: { 204: { description: "Removed" }, ...errorResponses(403, 404) },
});
