/**
 * SHA-256 and hex helpers for the ledger. `node:crypto` createHash is used, not
 * WebCrypto: it is synchronous (~500k small hashes/s on Node vs ~20k/s for
 * `crypto.subtle.digest`, which hops to a thread pool per call) and Workers
 * provide it under `nodejs_compat`.
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json";

export type Hash = Uint8Array;

export const hashSize = 32;

export function sha256(...parts: Uint8Array[]): Hash {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

const hexPattern = /^(?:[0-9a-f]{2})*$/;

/** Lower-case hex only, so one hash has one spelling; anything else is a programming error upstream. */
export function fromHex(hex: string): Hash {
  if (!hexPattern.test(hex)) throw new Error(`not lower-case hex: ${hex.slice(0, 16)}…`);
  return new Uint8Array(Buffer.from(hex, "hex"));
}

export const isHashHex = (value: string): boolean => value.length === hashSize * 2 && hexPattern.test(value);

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** SHA-256 (hex) of the RFC 8785 canonical form of a JSON value. */
export function jsonDigest(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
