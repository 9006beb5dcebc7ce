/**
 * SHA-256 and hex helpers for the ledger. `node:crypto` is used, not WebCrypto:
 * it is synchronous (~500k small hashes/s on Node vs ~20k/s for
 * `crypto.subtle.digest`, which hops to a thread pool per call) and Workers
 * provide it under `nodejs_compat`. Where the runtime has the one-shot
 * `crypto.hash` (Node ≥ 20.12) it is used: a receipt append takes several small
 * hashes, and a Hash object per hash cost more than the hashing.
 */
import { Buffer } from "node:buffer";
import * as nodeCrypto from "node:crypto";
import { canonicalJson } from "./canonical-json";

export type Hash = Uint8Array;

export const hashSize = 32;

type OneShot = (algorithm: string, data: string | Uint8Array, encoding: "buffer") => Buffer;
const oneShot = (nodeCrypto as { hash?: OneShot }).hash;

/** SHA-256 of a string (UTF-8) or bytes: one call where the runtime has it, else a Hash object. */
function digest(data: string | Uint8Array): Buffer {
  return oneShot ? oneShot("sha256", data, "buffer") : nodeCrypto.createHash("sha256").update(data).digest();
}

/** SHA-256 of the parts' concatenation. */
export function sha256(...parts: Uint8Array[]): Hash {
  const bytes = digest(joined(parts));
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function joined(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
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
  return digest(text).toString("hex");
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
