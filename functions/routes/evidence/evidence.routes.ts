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
    range: z
      .object({
        from: z.string().nullable(),
        to: z.string().nullable(),
        firstSeq: z.number().int().nullable(),
        lastSeq: z.number().int().nullable(),
      })
      .openapi({
        description:
          "The requested time range and the seqs it covers: every receipt from the first to the last in the range, as the log stood when the export began. The export receipt records the same range and the count; the verifier checks the bundle holds all of them.",
      }),
    exportedAt: z.string().datetime(),
    exportReceiptId: z.string().openapi({
      description:
        "The `evidence.exported` receipt this export left (after the range in `receipts`, covered by the checkpoint); its details record the range and the count.",
    }),
    checkpoint: CheckpointSchema,
    keys: z
      .object({ keys: z.array(z.object({ kid: z.string(), kty: z.string() }).catchall(z.unknown())) })
      .openapi({
        description:
          "The service's JWKS at export time, for reference. Verify against keys obtained independently (the service's /.well-known/jwks.json): anyone forging a bundle writes their own key here.",
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
    "Cedar `exportEvidence` (admins and auditors; a deny is a 403 with the decision id and receipt id). One self-contained JSON file: every receipt of the range (oldest first), each with an inclusion proof against a checkpoint signed for this export, and the public keys. The export leaves an `evidence.exported` receipt recording the range and the count, which the bundle includes. Verify it with `switchboard verify <file> --keys <jwks.json>` (or `--jwks-url`). At most 10,000 receipts (422 beyond). With `Accept: application/x-ndjson` the bundle streams instead, for ranges of any length (up to 10,000,000 receipts): JSON Lines, a header (checkpoint, keys, the export receipt with its inclusion proof, and one range proof: the O(log n) subtree hashes beside the range), then one line per receipt in seq order, then an `end` line; the verifier reads it line by line and hashes the receipts through the range proof to the signed root.",
  tags: ["Receipts"],
  security: bearerAuth,
  request: { query: EvidenceQuery, headers: EvidenceHeaders },
  responses: {
    200: {
      description: "The bundle",
      content: {
        "application/json": { schema: EvidenceBundleSchema },
        "application/x-ndjson": {
          schema: z.string().openapi({
            description: "The streamed bundle (format `switchboard.evidence/v2`), one JSON value a line.",
          }),
        },
      },
    },
    ...errorResponses(403, 422),
  },
});
