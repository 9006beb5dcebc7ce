/**
 * Limits every import reader enforces. A file past one of them is refused as a whole
 * (`payload_too_large` or `unprocessable` with a stable code), never half-read or crashed on.
 */
export interface ImportLimits {
  /** Bytes read from the input before `file_too_large`. */
  maxBytes: number;
  /**
   * Bytes for formats parsed as one document (JSON, SCIM JSON, YAML). These are not streamed,
   * and their object trees cost several times their size in memory (a Worker has 128 MB).
   */
  maxDocumentBytes: number;
  /** Data rows (CSV) or items (JSON/YAML) before `too_many_rows`. */
  maxRows: number;
  /** CSV columns before `too_many_columns`. */
  maxColumns: number;
  /** Characters in one value before the row is rejected with `field_too_long`. */
  maxFieldLength: number;
  /** Nested arrays/objects before `too_deep`. */
  maxNesting: number;
  /** YAML alias nodes resolved before `too_many_aliases` (the yaml package's maxAliasCount). */
  maxAliases: number;
}

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
