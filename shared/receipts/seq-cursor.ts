/**
 * Cursors over (time, sequence number): the shared cursor format with the
 * number in its id slot. Log positions are numbers, not random ids.
 */
import { AppError } from "../errors/app-error";
import { decodeCursor, encodeCursor } from "../pagination/cursor";

export interface SeqPosition {
  at: Date;
  seq: number;
}

export const encodeSeqCursor = (position: SeqPosition): string =>
  encodeCursor({ at: position.at, id: String(position.seq) });

export function decodeSeqCursor(cursor: string | undefined): SeqPosition | undefined {
  const position = decodeCursor(cursor);
  if (!position) return undefined;
  const seq = Number(position.id);
  if (!Number.isSafeInteger(seq) || seq < 0) {
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
  return { at: position.at, seq };
}

/** The page and the cursor for the next one, from `limit + 1` rows. */
export function seqPage<T>(rows: T[], limit: number, positionOf: (row: T) => SeqPosition) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeSeqCursor(positionOf(last)) : null };
}
