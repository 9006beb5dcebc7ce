/**
 * Configuration digests, for parity between environments: SHA-256 over the RFC 8785 form.
 * A flag's digest covers its key and configuration, never its version or timestamps, so two
 * environments holding the same configuration agree whatever their histories.
 */
import type { FlagConfig } from "../db/schema";
import { jsonDigest } from "../receipts/hashing";

export const flagDigest = (key: string, config: FlagConfig): string => jsonDigest({ key, config });

/** Digest of the set: SHA-256 of the canonical `{ key: digest }` object. */
export function flagSetDigest(flags: readonly { key: string; digest: string }[]): string {
  return jsonDigest(Object.fromEntries(flags.map((f) => [f.key, f.digest])));
}
