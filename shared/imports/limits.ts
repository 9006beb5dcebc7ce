import type { ImportLimits } from "../platform/import-reader-port";

export type { ImportLimits };

export const defaultImportLimits: Readonly<ImportLimits> = Object.freeze({
  maxBytes: 50 * 1024 * 1024,
  maxDocumentBytes: 10 * 1024 * 1024,
  maxRows: 2_000_000,
  maxColumns: 200,
  maxFieldLength: 10_000,
  maxNesting: 32,
  maxAliases: 50,
});

/**
 * The defaults overlaid with the caller's values. A value that is not a positive integer
 * (for `maxAliases`: not a non-negative one, 0 refusing every alias) is ignored.
 */
export function resolveLimits(partial?: Partial<ImportLimits>): ImportLimits {
  const limits: ImportLimits = { ...defaultImportLimits };
  if (!partial) return limits;
  for (const name of Object.keys(limits) as (keyof ImportLimits)[]) {
    const value = partial[name];
    if (
      typeof value === "number" &&
      Number.isSafeInteger(value) &&
      value >= (name === "maxAliases" ? 0 : 1)
    ) {
      limits[name] = value;
    }
  }
  return limits;
}
