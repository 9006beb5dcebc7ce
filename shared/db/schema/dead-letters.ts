import { integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, id } from "../columns";

/** Messages that could not be processed after their retries, kept for an operator to inspect. */
export const deadLetters = pgTable("dead_letters", {
  id: id(),
  source: text("source").notNull(),
  body: jsonb("body").notNull(),
  attempts: integer("attempts").notNull(),
  error: text("error").notNull(),
  createdAt: createdAt(),
});
