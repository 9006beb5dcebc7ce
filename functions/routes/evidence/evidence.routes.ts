import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../../openapi/problem-schema";
import { bearerAuth } from "../../openapi/security";
import { CheckpointSchema, ReceiptSchema } from "../receipts/receipts.schemas";

export const EvidenceQuery = z.object({
  from: z
    .string()
    .datetime({ offset: true })
    .optional()
    .openapi({ description: "Inclusive lower bound on `occurredAt`." }),
  to: z
    .string()
    .datetime({ offset: true })
    .optional()
    .openapi({ description: "Exclusive upper bound on `occurredAt`." }),
});

export const EvidenceHeaders = z.object({
  "idempotency-key": z.string().min(1).max(200).optional().openapi({
    description: "A retried export with the same key names the same `evidence.exported` receipt.",
  }),
});

export const EvidenceBundleSchema = z
  .object({
    format: z.literal("switchboard.evidence/v1"),
    tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    range: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
    exportedAt: z.string().datetime(),
    exportReceiptId: z
      .string()
      .openapi({ description: "The `evidence.exported` receipt this export left; included and covered." }),
    checkpoint: CheckpointSchema,
    keys: z
      .object({ keys: z.array(z.object({ kid: z.string(), kty: z.string() }).catchall(z.unknown())) })
      .openapi({
        description:
          "JWKS that verifies the checkpoint. Pin the service's /.well-known/jwks.json to trust it independently.",
      }),
    receipts: z.array(
      ReceiptSchema.extend({
        inclusion: z.object({
          leafIndex: z.number().int(),
          treeSize: z.number().int(),
          path: z.array(z.string()),
        }),
      }),
    ),
  })
  .openapi("EvidenceBundle");

export const exportEvidenceRoute = createRoute({
  method: "get",
  path: "/v1/evidence",
  operationId: "exportEvidence",
  summary: "Export a verifiable evidence bundle",
  description:
    "One self-contained JSON file: the receipts of the range (oldest first), each with an inclusion proof against a checkpoint signed for this export, and the public keys. Verify it offline with `switchboard verify <file>`. The export leaves an `evidence.exported` receipt, which the bundle includes. At most 10,000 receipts (422 beyond).",
  tags: ["Receipts"],
  security: bearerAuth,
  request: { query: EvidenceQuery, headers: EvidenceHeaders },
  responses: {
    200: { description: "The bundle", content: { "application/json": { schema: EvidenceBundleSchema } } },
    ...errorResponses(403, 422),
  },
});
