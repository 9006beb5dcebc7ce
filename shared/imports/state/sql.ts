/**
 * SQL helpers shared by the state modules. Batches go to Postgres as ONE jsonb parameter
 * expanded with `jsonb_to_recordset`, so a batch never meets the 65,535-parameter limit
 * whatever its size, and key lists as one `text[]` parameter (`= any($1)`).
 */
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { type SQL, sql } from "drizzle-orm";

/** `= any(…)` operand: the keys as one text[] parameter. */
export const textArray = (values: readonly string[]): SQL => sql`${sql.param([...values])}::text[]`;

/** A batch of plain objects as one jsonb parameter, for `jsonb_to_recordset(…)`. */
export const recordset = (rows: readonly object[]): SQL => sql`${JSON.stringify(rows)}::jsonb`;

/** `db.execute` results: node-postgres, PGlite and Neon all carry `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  const rows = (result as { rows?: unknown[] }).rows;
  if (!Array.isArray(rows)) throw new Error("the database driver returned no rows array");
  return rows as T[];
}

/** SHA-256 hex over the RFC 8785 form: equal content, equal hash. */
export function contentHash(value: unknown): string {
  return createHash("sha256")
    .update(canonicalize(value) ?? "null")
    .digest("hex");
}

/** Timestamps in record form: canonical UTC ISO, without ".000" (as the importers write them). */
export function isoOf(value: Date | string | null): string | null {
  if (value === null) return null;
  const iso = (typeof value === "string" ? new Date(value) : value).toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, 19)}Z` : iso;
}

/** A Date as a timestamptz parameter (every driver takes the ISO string the same way). */
export const timestamp = (date: Date): SQL => sql`${date.toISOString()}::timestamptz`;

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * `count` ids shaped like ids.ts `newId` (prefix + 20 Crockford base32 characters, 100 bits),
 * time-ordered: 10 characters of milliseconds since the epoch, then 10 random ones from one
 * random fill per 3,000 ids (per-row getRandomValues calls dominate a bulk write). A bulk
 * write's ids then land at the right edge of the primary-key index instead of on random
 * pages all over it, which at a million rows is the difference between cached and not.
 */
export function newIds(prefix: string, count: number, now = Date.now()): string[] {
  let time = "";
  for (let n = now, i = 0; i < 10; i++, n = Math.floor(n / 32)) time = alphabet[n % 32] + time;
  const out: string[] = [];
  while (out.length < count) {
    const take = Math.min(count - out.length, 3_000);
    const bytes = crypto.getRandomValues(new Uint8Array(take * 10));
    for (let i = 0; i < take; i++) {
      let id = `${prefix}_${time}`;
      for (let j = 0; j < 10; j++) id += alphabet[(bytes[i * 10 + j] ?? 0) & 31];
      out.push(id);
    }
  }
  return out;
}

/** Pairs each row with a fresh id: `rows.map(withIds("inc", build))`. */
export function withIds<T, R extends object>(prefix: string, rows: readonly T[], build: (row: T) => R) {
  const ids = newIds(prefix, rows.length);
  return rows.map((row, i) => ({ ...build(row), id: ids[i] ?? "" }));
}
