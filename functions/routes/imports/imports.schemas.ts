import { z } from "@hono/zod-openapi";
import { importStatuses } from "../../../shared/db/schema";
import { rowClasses } from "../../../shared/imports/framework/types";
import { importKinds } from "../../../shared/imports/registry";
import { importFormats } from "../../../shared/imports/types";

const id = (example: string) =>
  z.object({
    id: z
      .string()
      .min(1)
      .max(64)
      .openapi({
        param: { name: "id", in: "path" },
        example,
      }),
  });

export const PlanIdParams = id("plan_3f1c9a0b7d2e4f6a8b1c3d5e7f9a0b2c4d6e8f0a1b3c5d7e");
export const ImportIdParams = id("imp_8k2m4q0v7c1x3n5b9d6f");
export const UploadIdParams = id("upl_8k2m4q0v7c1x3n5b9d6f");

export const CountsSchema = z
  .object({
    total: z.number().int(),
    create: z.number().int(),
    update: z.number().int(),
    unchanged: z.number().int(),
    reject: z.number().int(),
    conflict: z.number().int(),
  })
  .openapi("ImportCounts");

export const PlanRowSchema = z
  .object({
    row: z.number().int().openapi({ description: "1-based data row (CSV) or item (JSON/YAML)." }),
    action: z.enum(rowClasses),
    key: z
      .string()
      .optional()
      .openapi({ description: "Natural key: email, runbook id, incident id, entity:/edge: key." }),
    entity: z.string().optional(),
    fields: z.record(z.string(), z.unknown()).optional(),
    changes: z
      .record(z.string(), z.object({ before: z.unknown(), after: z.unknown() }))
      .optional()
      .openapi({ description: "update / conflict: only the fields the record carries and that differ." }),
    error: z
      .object({
        column: z.string().optional(),
        code: z.string(),
        message: z.string(),
        hint: z.string().optional(),
      })
      .optional(),
    decisionId: z.string(),
    decision: z.enum(["allow", "deny"]),
    warnings: z
      .array(z.object({ column: z.string().optional(), code: z.string(), message: z.string() }))
      .optional(),
  })
  .openapi("ImportPlanRow");

const RowPageSchema = z.object({
  items: z.array(PlanRowSchema),
  nextCursor: z.string().nullable(),
  next: z.string().nullable(),
});

const SourceSchema = z
  .object({
    sha256: z.string().nullable().openapi({
      description: "SHA-256 of the source file; it is stored at imports/<tenant>/sources/<sha256>.",
    }),
    name: z.string().nullable(),
  })
  .openapi("ImportSource");

export const PlanSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    format: z.string(),
    source: z.object({ sha256: z.string(), name: z.string().nullable() }),
    mapping: z.record(z.string(), z.string()),
    options: z.record(z.string(), z.unknown()),
    onConflict: z.enum(["skip", "overwrite"]),
    importerVersion: z.string(),
    bundleVersion: z.string(),
    watermark: z.number().int(),
    counts: CountsSchema,
    grantsAdmin: z.boolean(),
    decisionId: z.string(),
    receiptId: z.string().nullable(),
    manifestDigest: z.string(),
    createdAt: z.string().datetime(),
    rows: z.record(z.enum(rowClasses), RowPageSchema),
    links: z.record(z.string(), z.unknown()),
  })
  .openapi("ImportPlan");

export const RowPageResponse = z
  .object({ items: z.array(PlanRowSchema), nextCursor: z.string().nullable() })
  .openapi("ImportPlanRowPage");

export const RowsQuery = z.object({
  action: z.enum(rowClasses).default("create").openapi({ example: "update" }),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const ImportSchema = z
  .object({
    id: z.string(),
    planId: z.string(),
    kind: z.string(),
    status: z.enum(importStatuses),
    source: SourceSchema,
    counts: CountsSchema,
    progress: z.object({
      chunksDone: z.number().int(),
      chunksTotal: z.number().int(),
      chunksDead: z.number().int(),
      rowsTotal: z.number().int(),
      rowsApplied: z.number().int(),
      rowsSkipped: z.number().int(),
      rowsPerSecond: z.number(),
      estimatedSecondsLeft: z.number().nullable(),
    }),
    error: z.string().nullable(),
    skippedKeys: z.array(z.string()),
    deadChunks: z.array(
      z.object({ chunkNo: z.number(), attempts: z.number(), error: z.string().nullable() }),
    ),
    revert: z
      .object({
        chunksDone: z.number().int(),
        chunksTotal: z.number().int(),
        deleted: z.number().int().openapi({ description: "Rows the import created, deleted again." }),
        restored: z.number().int().openapi({ description: "Rows the import updated, set back." }),
        skipped: z.number().int().openapi({
          description: "Rows left as they are: changed after the revert was planned.",
        }),
        error: z.string().nullable(),
        decisionId: z.string(),
        startedAt: z.string().datetime(),
        completedAt: z.string().datetime().nullable(),
      })
      .nullable()
      .openapi({ description: "The revert's progress, chunk by chunk; null until a revert starts." }),
    decisionId: z.string(),
    manifestDigest: z.string(),
    receipts: z.object({
      planned: z.string().nullable(),
      committed: z.string().nullable(),
      reverted: z.string().nullable(),
      chunks: z.array(z.string()),
    }),
    startedAt: z.string().datetime(),
    completedAt: z.string().datetime().nullable(),
    links: z.record(z.string(), z.string()),
  })
  .openapi("Import");

export const ImportListItemSchema = z
  .object({
    id: z.string(),
    planId: z.string(),
    kind: z.string().openapi({ example: "identities" }),
    status: z.enum(importStatuses),
    source: SourceSchema,
    counts: CountsSchema,
    progress: z.object({
      chunksDone: z.number().int(),
      chunksTotal: z.number().int(),
      rowsTotal: z.number().int(),
      rowsApplied: z.number().int(),
      rowsSkipped: z.number().int(),
    }),
    error: z.string().nullable(),
    actor: z.object({ type: z.string(), id: z.string() }).openapi({ description: "Who committed it." }),
    receipts: z.object({ committed: z.string().nullable(), reverted: z.string().nullable() }),
    startedAt: z.string().datetime(),
    completedAt: z.string().datetime().nullable(),
    links: z.record(z.string(), z.string()),
  })
  .openapi("ImportListItem");

export const ImportListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ example: 50 }),
  cursor: z.string().max(512).optional().openapi({ description: "`nextCursor` from the previous page." }),
  kind: z.enum(importKinds()).optional(),
  status: z.enum(importStatuses).optional(),
});

export const ImportPageSchema = z
  .object({ items: z.array(ImportListItemSchema), nextCursor: z.string().nullable() })
  .openapi("ImportPage");

const jsonParam = (description: string) => z.string().max(8192).optional().openapi({ description });

export const CreatePlanQuery = z.object({
  kind: z.enum(importKinds()).optional().openapi({ description: "With an inline body: the importer." }),
  format: z
    .enum(importFormats)
    .optional()
    .openapi({ description: "Inferred from Content-Type when absent." }),
  mapping: jsonParam('Source column → field as JSON, e.g. {"E-Mail":"email","Notes":""} ("" ignores).'),
  options: jsonParam('Importer options as JSON, e.g. {"groupRoleMap":{"Admins":"admin"}}.'),
  onConflict: z.enum(["skip", "overwrite"]).optional(),
});

export const PlanReferenceBody = z
  .object({
    kind: z.enum(importKinds()),
    format: z.enum(importFormats),
    upload: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: "An upload id (POST /v1/imports/uploads)." }),
    source: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional()
      .openapi({ description: "SHA-256 of a source sent before (re-plan)." }),
    mapping: z.record(z.string(), z.string()).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
    onConflict: z.enum(["skip", "overwrite"]).optional(),
  })
  .strict()
  .openapi("ImportPlanReference");

export const UploadBody = z
  .object({ name: z.string().max(200).optional(), contentType: z.string().max(100).optional() })
  .strict()
  .openapi("CreateImportUpload");

export const UploadSchema = z
  .object({
    id: z.string(),
    method: z.literal("PUT"),
    url: z.string(),
    direct: z.boolean(),
    headers: z.record(z.string(), z.string()),
    expiresAt: z.string().datetime(),
    maxBytes: z.number().int(),
  })
  .openapi("ImportUpload");

export const ReceivedUploadSchema = z
  .object({
    id: z.string(),
    size: z.number().int().openapi({ description: "Bytes stored." }),
    sha256: z.string().openapi({ description: "SHA-256 (hex) of the bytes stored." }),
    receivedAt: z.string().datetime(),
  })
  .openapi("ImportUploadReceived");

export const ManifestQuery = z.object({
  format: z.enum(["jws", "json", "csv"]).default("jws").openapi({
    description:
      "jws: the compact JWS (application/jose); json: {jws, digest}; csv: the rejected rows with a reason column.",
  }),
});
