import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";

export const apiVersion = "1.0.0";

export function registerSecuritySchemes(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description:
      "A tenant API key (`sb_live_…`), sent as `Authorization: Bearer <key>`. The same header also takes an OIDC token (see `oidcBearer`). On a tenant's white-label domain only that tenant's credentials are accepted (403 `tenant_mismatch`). Switchboard staff (`pilot-ops` keys) name the tenant to read in `x-switchboard-tenant: <slug>`; their unsafe requests are refused.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "oidcBearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description:
      "An OIDC token from the tenant's IdP (`PUT /v1/idp`), accepted wherever `apiKey` is: RS256, ES256 or EdDSA, `iss`, `aud`, `exp`, `nbf` checked, mapped to an active operator by `sub` or `email`. The tenant is the white-label Host's; else the one named in `x-switchboard-tenant`; else the one tenant whose IdP has the token's `iss` and `aud`.",
  });
}

export function openApiDocument(app: OpenAPIHono<AppEnv>) {
  return app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Switchboard Pilot Plane API",
      version: apiVersion,
      description:
        "Takes a partner from first login to a measured, governed pilot. Errors are RFC 9457 problems (`application/problem+json`) with a stable `code` and the request id. Send `traceparent` to join your trace; every response carries `x-request-id`.",
    },
    tags: [
      { name: "System", description: "Health, readiness, signing keys and deployment self-tests." },
      { name: "Tenants", description: "Tenants and their credentials." },
      { name: "Identity", description: "Operators (people) and the tenant's OIDC identity provider." },
      { name: "Domains", description: "White-label domains and the public branding of a host." },
      { name: "Policy", description: "Cedar policy decisions and governed policy exceptions." },
      {
        name: "Imports",
        description:
          "Partner data import: upload, dry-run plan (create / update / unchanged / reject / conflict, with policy decisions), commit chunk by chunk through the queue, progress, signed error manifests and revert. Unsafe requests take `Idempotency-Key`.",
      },
      {
        name: "Ops",
        description:
          "The operational core: incidents, commands dispatched to the tenant's executor (signed JWS webhook, retried through the queue), four-eyes approvals, runbooks and their runs. Every action is Cedar-gated and leaves a receipt and a telemetry event with the same id.",
      },
      {
        name: "Receipts",
        description:
          "The tamper-evident receipt log: receipts with RFC 6962 inclusion proofs, the timeline, signed checkpoints, log verification and offline-verifiable evidence bundles.",
      },
    ],
  });
}
