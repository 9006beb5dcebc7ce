/**
 * `Idempotency-Key` (IETF httpapi draft "The Idempotency-Key HTTP Header Field"), for any
 * unsafe request. Keys are per tenant and live 24 hours. The same key with the same request
 * (method, path and query, body digest) replays the first response; with another request it
 * is 422; while the first is still in flight it is 409. A key that is not a 1–255 character
 * string of visible ASCII (bare, or quoted as a structured-field string) is 400.
 * A 5xx is not stored: the key is freed so the client's retry runs again.
 */
import { createHash } from "node:crypto";
import type { TenantCtx } from "../context/context";
import type { IdempotencyKeyRow } from "../db/schema";
import { AppError } from "../errors/app-error";
import { claimKey, findKey, releaseKey, storeResponse } from "./idempotency-repo";

export const idempotencyTtlSeconds = 24 * 60 * 60;
/** A request holding its key longer than this is taken to have died. */
export const inFlightLockSeconds = 10 * 60;
const keyPattern = /^[\x21-\x7e]{1,255}$/;

export function parseIdempotencyKey(header: string): string {
  const trimmed = header.trim();
  const quoted = /^"((?:[^"\\]|\\["\\])*)"$/.exec(trimmed);
  const key = quoted ? (quoted[1] ?? "").replace(/\\(["\\])/g, "$1") : trimmed;
  const halfQuoted = !quoted && (trimmed.startsWith('"') || trimmed.endsWith('"'));
  if (halfQuoted || !keyPattern.test(key)) {
    throw new AppError("bad_request", "Idempotency-Key must be 1 to 255 visible ASCII characters.", {
      errors: [
        {
          pointer: "/idempotency-key",
          in: "header",
          code: "invalid_idempotency_key",
          message: 'Send e.g. Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324".',
        },
      ],
    });
  }
  return key;
}

export function requestFingerprint(method: string, pathAndQuery: string, body: Uint8Array): string {
  const bodyDigest = createHash("sha256").update(body).digest("hex");
  return createHash("sha256").update(`${method.toUpperCase()}\n${pathAndQuery}\n${bodyDigest}`).digest("hex");
}

export type Begun = { kind: "proceed" } | { kind: "replay"; stored: IdempotencyKeyRow };

export async function beginIdempotent({
  ctx,
  input,
}: {
  ctx: Pick<TenantCtx, "db" | "clock" | "tenant">;
  input: { key: string; fingerprint: string };
}): Promise<Begun> {
  const now = ctx.clock.now();
  const claim = {
    tenantId: ctx.tenant.id,
    ...input,
    now,
    lockedUntil: new Date(now.getTime() + inFlightLockSeconds * 1000),
    expiresAt: new Date(now.getTime() + idempotencyTtlSeconds * 1000),
  };
  if (await claimKey(ctx.db, claim)) return { kind: "proceed" };
  const held = await findKey(ctx.db, ctx.tenant.id, input.key);
  if (!held) return (await claimKey(ctx.db, claim)) ? { kind: "proceed" } : busy();
  if (held.fingerprint !== input.fingerprint) {
    throw new AppError(
      "unprocessable",
      "This Idempotency-Key was already used for a different request (method, path or body).",
      { idempotencyCode: "idempotency_key_reused", hint: "Use a new key for a new request." },
    );
  }
  if (held.status === "in_flight") return busy();
  return { kind: "replay", stored: held };
}

function busy(): never {
  throw new AppError("conflict", "A request with this Idempotency-Key is still being processed.", {
    idempotencyCode: "idempotency_key_in_flight",
    headers: { "retry-after": "1" },
  });
}

export async function finishIdempotent({
  ctx,
  input,
}: {
  ctx: Pick<TenantCtx, "db" | "tenant">;
  input: { key: string; fingerprint: string; status: number; headers: Record<string, string>; body: string };
}): Promise<void> {
  if (input.status >= 500) return releaseKey(ctx.db, ctx.tenant.id, input.key, input.fingerprint);
  await storeResponse(ctx.db, ctx.tenant.id, input.key, input);
}
