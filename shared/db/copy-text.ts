/**
 * Rows in the text format of `COPY … FROM STDIN`: tab between columns, `\N` for null,
 * backslash, tab, newline and carriage return escaped with a backslash.
 */
const special = /[\\\t\n\r]/;
const escapes: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** One column's text; an object or array goes as its JSON, as jsonb_to_record gives it to a text column. */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return special.test(text) ? text.replace(/[\\\t\n\r]/g, (ch) => escapes[ch] ?? ch) : text;
}
