/**
 * RFC 8785 (JSON Canonicalization Scheme) through the `canonicalize` package:
 * sorted keys by UTF-16 code units, ECMAScript number formatting, minimal escapes.
 * Everything hashed in the ledger goes through here so one value has one byte form.
 */
import canonicalize from "canonicalize";
import { AppError } from "../errors/app-error";

export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (error) {
    // NaN, Infinity, lone surrogates and cycles have no canonical form.
    throw new AppError("unprocessable", `The value has no canonical JSON form: ${(error as Error).message}.`);
  }
  if (text === undefined) throw new AppError("unprocessable", "The value has no canonical JSON form.");
  return text;
}

/**
 * The value as it will read back from a jsonb column: `undefined` members dropped,
 * dates as strings. Digests are taken over this form so a row re-read from the
 * database hashes to the same digest. jsonb cannot hold U+0000, so it is refused here.
 */
export function asStoredJson<T>(value: T): T {
  const text = JSON.stringify(value ?? null);
  if (text.includes("\\u0000")) {
    throw new AppError("unprocessable", "Receipt fields cannot contain the NUL character (U+0000).");
  }
  return JSON.parse(text) as T;
}
