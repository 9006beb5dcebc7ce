/**
 * Opaque cursors for keyset pagination over (created_at, id): stable under
 * inserts, no offsets. A tampered cursor is a 400, not a crash.
 */
import { AppError } from "../errors/app-error";

export interface Position {
  at: Date;
  id: string;
}

export function encodeCursor(position: Position): string {
  return btoa(JSON.stringify([position.at.toISOString(), position.id]))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

export function decodeCursor(cursor: string | undefined): Position | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [at, id] = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/"))) as unknown[];
    const date = new Date(String(at));
    if (typeof id !== "string" || Number.isNaN(date.getTime())) throw new Error("bad cursor");
    return { at: date, id };
  } catch {
    throw new AppError("validation_failed", "The cursor is not one this API issued.", {
      errors: [
        {
          pointer: "/cursor",
          in: "query",
          code: "invalid_cursor",
          message: "Pass back `nextCursor` unchanged.",
        },
      ],
    });
  }
}

/** Takes `limit + 1` rows from a query and returns the page and the cursor for the next one. */
export function pageOf<T extends { createdAt: Date; id: string }>(rows: T[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
  };
}
