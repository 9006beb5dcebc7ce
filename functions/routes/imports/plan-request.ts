/**
 * `POST /v1/imports` takes either an inline file (its Content-Type names the format; kind,
 * mapping and options in the query, mapping/options also as `import-mapping` /
 * `import-options` headers) or, without `kind` in the query, a JSON body naming an upload
 * or an earlier source. This turns the request into createPlan's input.
 */
import { z } from "@hono/zod-openapi";
import { AppError } from "../../../shared/errors/app-error";
import type { CreatePlanInput } from "../../../shared/imports/framework/plan/dry-run";
import { forbiddenKeys } from "../../../shared/imports/read/csv-reader";
import { importerOf } from "../../../shared/imports/registry";
import type { ImportFormat, ImportKind } from "../../../shared/imports/types";
import { zodToFieldProblems } from "../../middleware/problem";
import { type CreatePlanQuery, PlanReferenceBody } from "./imports.schemas";

const formatOf: Record<string, ImportFormat> = {
  "text/csv": "csv",
  "application/csv": "csv",
  "application/json": "json",
  "application/scim+json": "scim",
  "application/yaml": "yaml",
  "application/x-yaml": "yaml",
  "text/yaml": "yaml",
  "text/x-yaml": "yaml",
};
export const inlineMediaTypes = Object.keys(formatOf);

function inferFormat(kind: ImportKind, mediaType: string): ImportFormat {
  const format = formatOf[mediaType];
  if (!format) {
    throw new AppError("unsupported_media_type", `Send the file as ${inlineMediaTypes.join(", ")}.`, {
      headers: { "accept-post": inlineMediaTypes.join(", ") },
    });
  }
  // SCIM exports often arrive as plain JSON.
  if (format === "json" && !importerOf(kind).formats.includes("json")) return "scim";
  return format;
}

function jsonParam(name: string, text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined || text === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v) => {
      if (forbiddenKeys.has(key)) throw new Error(`"${key}" is not allowed as a key`);
      return v;
    });
  } catch (error) {
    throw new AppError("validation_failed", `\`${name}\` is not usable JSON: ${(error as Error).message}.`, {
      errors: [
        { pointer: `/${name}`, in: "query", code: "invalid_json", message: "Expected a JSON object." },
      ],
    });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new AppError("validation_failed", `\`${name}\` must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}

function mappingOf(value: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const parsed = z.record(z.string(), z.string()).safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError("validation_failed", "`mapping` must map column names to field names (strings).", {
    errors: zodToFieldProblems(parsed.error, "query"),
  });
}

export function planInput(req: {
  query: z.output<typeof CreatePlanQuery>;
  mediaType: string;
  header: (name: string) => string | undefined;
  body: Uint8Array;
}): CreatePlanInput {
  const { query } = req;
  if (query.kind) {
    return {
      kind: query.kind,
      format: query.format ?? inferFormat(query.kind, req.mediaType),
      source: { bytes: req.body, contentType: req.mediaType || null },
      mapping: mappingOf(jsonParam("mapping", query.mapping ?? req.header("import-mapping"))),
      options: jsonParam("options", query.options ?? req.header("import-options")),
      onConflict: query.onConflict,
    };
  }
  if (req.mediaType !== "application/json") {
    throw new AppError(
      "validation_failed",
      "Name the importer: `kind` in the query, or a JSON body naming an upload.",
      {
        errors: [
          {
            pointer: "/kind",
            in: "query",
            code: "missing_value",
            message: "kind is required with an inline file.",
          },
        ],
      },
    );
  }
  const body = PlanReferenceBody.safeParse(jsonParam("body", new TextDecoder().decode(req.body)));
  if (!body.success) {
    throw new AppError("validation_failed", "The request body did not pass validation.", {
      errors: zodToFieldProblems(body.error, "body"),
    });
  }
  const { upload, source, ...rest } = body.data;
  if ((upload === undefined) === (source === undefined)) {
    throw new AppError("validation_failed", "Name exactly one of `upload` and `source`.");
  }
  return { ...rest, source: upload !== undefined ? { upload } : { sha256: source ?? "" } };
}
