/** OpenAPI schemas for receipts, proofs and checkpoints; shared by the timeline, checkpoint and evidence routes. */
import { z } from "@hono/zod-openapi";

const hash = (description: string) =>
  z
    .string()
    .openapi({ description, example: "9f2c4e1a7b3d5f60e8a1c2b4d6f8091a3c5e7f9b1d2e4f6a8c0b2d4f6e8a0c1d" });

export const ReceiptSchema = z
  .object({
    tenant: z.string().openapi({ example: "ten_8k2m4q0v7c1x3n5b9d6f" }),
    seq: z.number().int().openapi({ description: "Position in the tenant's log, gap-free from 0." }),
    id: z.string().openapi({
      description:
        "Derived from tenant, kind, subject and the input digest or idempotency key: a retried action has the same id.",
      example: "rcpt_3b0c6f5e2a9d8c7b6a5f4e3d2c1b0a998877665544332211ffeeddccbbaa9988",
    }),
    kind: z.string().openapi({ example: "import.committed" }),
    actor: z
      .string()
      .openapi({ description: "`type:id` of who acted.", example: "api_key:key_8k2m4q0v7c1x3n5b9d6f" }),
    subject: z.string().openapi({ example: "import:imp_8k2m4q0v7c1x3n5b9d6f" }),
    inputDigest: hash("SHA-256 of the action's canonical input."),
    outputDigest: z.string().nullable(),
    decisionId: z.string().nullable(),
    links: z.array(z.string()),
    details: z.record(z.string(), z.unknown()),
    occurredAt: z.string().datetime(),
    digest: hash("SHA-256 of the RFC 8785 canonical JSON of the fields above (tenant … occurredAt)."),
    leafHash: hash("RFC 6962 leaf hash: SHA-256(0x00 ‖ digest)."),
    chain: hash("SHA-256(previous entry's chain ‖ digest); 32 zero bytes before seq 0."),
  })
  .openapi("Receipt");

export const CheckpointSchema = z
  .object({
    treeSize: z.number().int(),
    rootHash: hash("RFC 6962 Merkle root of the first `treeSize` receipts."),
    issuedAt: z.string().datetime(),
    kid: z.string().openapi({ description: "Signing key id, in /.well-known/jwks.json." }),
    jws: z.string().openapi({
      description:
        "Compact JWS (EdDSA, typ `checkpoint+jws`) over {tenant, treeSize, rootHash, chainHead, issuedAt}.",
    }),
  })
  .openapi("Checkpoint");

export const InclusionProofSchema = z
  .object({
    leafIndex: z.number().int(),
    treeSize: z.number().int(),
    rootHash: z.string(),
    leafHash: z.string(),
    path: z.array(z.string()).openapi({ description: "RFC 6962 audit path, leaf to root (hex)." }),
  })
  .openapi("InclusionProof");

export const ReceiptWithProofSchema = z
  .object({
    receipt: ReceiptSchema,
    inclusion: InclusionProofSchema,
    checkpoint: CheckpointSchema.nullable().openapi({
      description:
        "The signed checkpoint the proof leads to; null when the receipt is newer than the latest checkpoint and is proved against the current head.",
    }),
  })
  .openapi("ReceiptWithProof");

export const LogVerificationSchema = z
  .object({
    ok: z.boolean(),
    size: z.number().int().openapi({ description: "Receipts the log head counts." }),
    verified: z
      .number()
      .int()
      .openapi({ description: "Receipts checked and sound before the first problem." }),
    checkpointsChecked: z.number().int(),
    firstBadSeq: z
      .number()
      .int()
      .optional()
      .openapi({ description: "The first entry that does not hold up." }),
    problem: z
      .enum([
        "missing_entry",
        "unexpected_entry",
        "digest_mismatch",
        "leaf_mismatch",
        "chain_mismatch",
        "checkpoint_mismatch",
        "checkpoint_signature",
        "head_mismatch",
      ])
      .optional(),
    reason: z.string().optional(),
  })
  .openapi("LogVerification");

export const ReceiptIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(80)
    .openapi({
      param: { name: "id", in: "path" },
      example: "rcpt_3b0c6f5e2a9d8c7b6a5f4e3d2c1b0a998877665544332211ffeeddccbbaa9988",
    }),
});
