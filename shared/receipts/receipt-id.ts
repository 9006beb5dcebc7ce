/** Derived receipt ids and actor references. */
import type { Actor } from "../context/context";
import { jsonDigest } from "./hashing";

/**
 * `rcpt_` + SHA-256 over the canonical {tenant, kind, subject, key}: the same logical
 * action always gets the same id, whoever retries it and whenever. An idempotency
 * key, when given, names the action; otherwise the input digest does. The two are
 * different members so a key can never collide with a digest.
 */
export function receiptId(input: {
  tenant: string;
  kind: string;
  subject: string;
  inputDigest: string;
  idempotencyKey?: string;
}): string {
  const { tenant, kind, subject, inputDigest, idempotencyKey } = input;
  const key = idempotencyKey !== undefined ? { idempotencyKey } : { inputDigest };
  return `rcpt_${jsonDigest({ tenant, kind, subject, ...key })}`;
}

/** How an actor is written on a receipt: `api_key:key_…`, `operator:op_…`, `system:cron`. */
export function actorRef(actor: Pick<Actor, "type" | "id">): string {
  return `${actor.type}:${actor.id}`;
}

export const receiptIdPattern = /^rcpt_[0-9a-f]{64}$/;
