import type { Runbook } from "../../db/schema";

export function runbookView(r: Runbook) {
  return {
    id: r.id,
    key: r.key,
    title: r.title,
    version: r.currentVersion,
    contentHash: r.contentHash,
    source: r.lastImportId ? ("import" as const) : ("api" as const),
    content: r.content,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export type RunbookView = ReturnType<typeof runbookView>;
