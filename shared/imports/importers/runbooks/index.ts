/**
 * runbooks: operational procedures, from YAML (one document, several `---` documents, or a
 * list) or JSON (an array, one object, or `{ "runbooks": [...] }`). Validated by
 * schema.ts (unknown members are `unknown_field`: a misspelt `requires_approval` must not
 * silently drop an approval gate). Templated params ("{{ zone }}") must name a declared
 * input (`unknown_input`). key = runbook id, entity "runbook", fields = RunbookFields, which
 * is normalized (defaults filled in, timeouts in seconds) so equal content gives equal JSON
 * for the framework's content hash. Rows are item indexes.
 */
import { resolveLimits } from "../../limits";
import { itemsOf, readDocument } from "../../read/documents";
import type { Importer, ImportInput, ReadResult } from "../../types";
import { checkFormat, type MapContext } from "../map";
import { mapRunbook } from "./map";
import type { RunbookFields } from "./schema";

export type { RunbookFields, RunbookStepFields } from "./schema";

export const runbooksImporter: Importer<RunbookFields> = {
  kind: "runbooks",
  version: "1",
  formats: ["yaml", "json"],
  read(input: ImportInput): AsyncIterable<ReadResult<RunbookFields>> {
    return readRunbooks(input);
  },
};

async function* readRunbooks(input: ImportInput): AsyncGenerator<ReadResult<RunbookFields>> {
  checkFormat("runbooks", input.format, runbooksImporter.formats);
  const ctx: MapContext = { limits: resolveLimits(input.limits) };
  const doc = await readDocument(input.bytes, input.format, ctx.limits);
  for (const { row, value } of itemsOf(doc, ["runbooks"], ctx.limits)) yield mapRunbook(ctx, row, value);
}
