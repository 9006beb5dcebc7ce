import { createRoute, z } from "@hono/zod-openapi";
import { publicErrorResponses } from "../../openapi/problem-schema";

export const BrandingSchema = z
  .object({
    host: z.string().openapi({ example: "pilot.partner.example" }),
    displayName: z.string().openapi({ example: "Partner Pilot" }),
    logoUrl: z.string().nullable(),
    primaryColor: z.string().openapi({ example: "#0f766e" }),
    accentColor: z.string().openapi({ example: "#f59e0b" }),
    isDefault: z.boolean().openapi({ description: "True when the host is not a white-label domain." }),
  })
  .openapi("Branding");

export const getBrandingRoute = createRoute({
  method: "get",
  path: "/branding",
  operationId: "getBranding",
  summary: "Branding for this host",
  description:
    "Public, no credential: the display name, logo and colours of the white-label domain the request came in on, or Switchboard's own for any other host. Never names the tenant.",
  tags: ["Domains"],
  responses: {
    200: { description: "The branding", content: { "application/json": { schema: BrandingSchema } } },
    ...publicErrorResponses,
  },
});
