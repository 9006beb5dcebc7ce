import type { Database } from "../db/client";
import { deadLetters } from "../db/schema";
import { newId } from "../ids/ids";

export async function recordDeadLetter(
  db: Database,
  letter: { source: string; body: unknown; attempts: number; error: string; at: Date },
): Promise<void> {
  await db.insert(deadLetters).values({
    id: newId("dl"),
    source: letter.source,
    body: letter.body ?? null,
    attempts: letter.attempts,
    error: letter.error,
    createdAt: letter.at,
  });
}
