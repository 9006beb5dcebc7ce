import { createRoute, z } from "@hono/zod-openapi";
import { colorPattern } from "../../../shared/tenants/domains";
import { requireRole } from "../../middleware/auth";
import { requireContentType } from "../../middleware/content-type";
import { PageQuery, pageOf } from "../../openapi/common-schemas";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";

const color = z
  .string()
  .regex(colorPattern, { message: "Use a #rrggbb colour." })
  .openapi({ example: "#0f766e" });

export const DomainSchema = z
  .object({
    host: z.string().openapi({ example: "pilot.partner.example" }),
    displayName: z.string().openapi({ example: "Partner Pilot" }),
    logoUrl: z.string().nullable(),
    primaryColor: z.string().nullable(),
    accentColor: z.string().nullable(),
    status: z.enum(["pending", "verified"]).openapi({
      description:
        "`pending` until a DNS TXT record proves the tenant controls the host; only a `verified` domain routes requests and shows its branding.",
    }),
    verification: z
      .object({
        type: z.literal("dns-txt"),
        name: z.string().openapi({ example: "_switchboard-challenge.pilot.partner.example" }),
        value: z.string().openapi({ example: "sbv_3kq9x0c2m4v6b8n1p5r7t9w2y4z6a8d0" }),
      })
      .openapi({
        description:
          "Publish a TXT record at `name` holding exactly `value`, then `POST /v1/domains/{host}/verify`. Keep it: the record is re-checked hourly, and a domain whose record is gone goes back to `pending`.",
      }),
    verifiedAt: z.string().datetime().nullable(),
    checkedAt: z.string().datetime().nullable().openapi({ description: "The last DNS check." }),
    checkProblem: z
      .string()
      .nullable()
      .openapi({ description: "What the last check found wanting; null when it proved the host." }),
    createdAt: z.string().datetime(),
  })
  .openapi("Domain");

export const AddDomainBody = z
  .object({
    host: z.string().trim().min(3).max(253).openapi({
      description: "A DNS host name; stored lowercased, without port. IP addresses are refused.",
      example: "pilot.partner.example",
    }),
    displayName: z.string().trim().min(1).max(100).openapi({ example: "Partner Pilot" }),
    logoUrl: z
      .url()
      .max(2048)
      .optional()
      .openapi({ description: "https only.", example: "https://cdn.partner.example/logo.svg" }),
    primaryColor: color.optional(),
    accentColor: color.optional(),
  })
  .strict()
  .openapi("AddDomain");

export const HostParams = z.object({
  host: z
    .string()
    .min(1)
    .max(253)
    .openapi({ param: { name: "host", in: "path" }, example: "pilot.partner.example" }),
});

const base = { security: bearerAuth, tags: ["Domains"] };

export const addDomainRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/domains",
  operationId: "addDomain",
  summary: "Add a white-label domain",
  description:
    "Adds the host `pending`, with a DNS TXT challenge to publish. Once verified (`POST /v1/domains/{host}/verify`), requests on this host belong to this tenant: a credential of any other tenant is refused there (403 `tenant_mismatch`), and `GET /branding` on it answers with this branding. Switchboard's own hosts are refused (400); a host another tenant has verified is 409 (pending claims elsewhere do not block). Point the host's DNS at Switchboard separately.",
  middleware: [requireRole("admin"), requireContentType("application/json")] as const,
  request: { body: { required: true, content: { "application/json": { schema: AddDomainBody } } } },
  responses: {
    201: { description: "Added", content: { "application/json": { schema: DomainSchema } } },
    ...errorResponses(403, 409, 413, 415),
  },
});

export const listDomainsRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/domains",
  operationId: "listDomains",
  summary: "List white-label domains",
  middleware: [requireRole("admin")] as const,
  request: { query: PageQuery },
  responses: {
    200: {
      description: "A page of domains",
      content: { "application/json": { schema: pageOf(DomainSchema, "DomainPage") } },
    },
    ...errorResponses(403),
  },
});

export const getDomainRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/domains/{host}",
  operationId: "getDomain",
  summary: "Read a white-label domain",
  middleware: [requireRole("admin")] as const,
  request: { params: HostParams },
  responses: {
    200: { description: "The domain", content: { "application/json": { schema: DomainSchema } } },
    ...errorResponses(403, 404),
  },
});

export const verifyDomainRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/domains/{host}/verify",
  operationId: "verifyDomain",
  summary: "Verify a white-label domain's DNS challenge",
  description:
    "Looks up the TXT record `_switchboard-challenge.<host>` through the platform's DNS-over-HTTPS resolver. When it holds this domain's token the domain becomes `verified` (a `domain.verified` receipt) and starts routing. 422 says what DNS holds instead; 409 when another tenant holds the host and the record still holds its token; 503 when the resolver cannot answer. If the record now holds this tenant's token instead of the holder's, the host moves here.",
  middleware: [requireRole("admin")] as const,
  request: { params: HostParams },
  responses: {
    200: { description: "Verified", content: { "application/json": { schema: DomainSchema } } },
    ...errorResponses(403, 404, 409, 422, 503),
  },
});

export const removeDomainRoute = createRoute({
  ...base,
  method: "delete",
  path: "/v1/domains/{host}",
  operationId: "removeDomain",
  summary: "Remove a white-label domain",
  description: "The host stops naming this tenant at once; `/branding` there falls back to Switchboard's.",
  middleware: [requireRole("admin")] as const,
  request: { params: HostParams },
  responses: { 204: { description: "Removed" }, ...errorResponses(403, 404) },
});
