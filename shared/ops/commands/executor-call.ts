/**
 * One delivery to the executor: the command as a compact JWS (EdDSA, the app's key; the
 * partner verifies it with /.well-known/jwks.json), POSTed as `application/jose` through the
 * outbound client (no private networks, no redirects, the executor's timeout, the answer read up
 * to 16 KB). Returns what happened; never throws for the executor's sake.
 */
import type { TenantCtx } from "../../context/context";
import type { Command, Executor } from "../../db/schema";
import { OutboundError } from "../../platform/outbound";

export const commandJwsType = "switchboard-command+jws";
/** What of the executor's answer is kept as the command's outcome; reading stops there. */
const maxBodyBytes = 16_384;

export interface CallResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  body: unknown;
  /** The destination is not allowed (private address, redirect): retrying would not help. */
  refused: boolean;
}

export async function callExecutor(
  ctx: Pick<TenantCtx, "signer" | "clock" | "tenant" | "outbound">,
  executor: Executor,
  command: Command,
  attempt: number,
): Promise<CallResult> {
  const payload = {
    v: 1,
    commandId: command.id,
    attempt,
    tenant: { id: ctx.tenant.id, slug: ctx.tenant.slug },
    name: command.name,
    target: command.target,
    params: command.params,
    incidentId: command.incidentId,
    runId: command.runId,
    approvalId: command.approvalId,
    requestedBy: `${command.requestedByType}:${command.requestedById}`,
    aud: executor.url,
    iat: Math.floor(ctx.clock.now().getTime() / 1000),
  };
  const jws = await ctx.signer.signJson(payload, { typ: commandJwsType });
  const started = Date.now();
  try {
    const res = await ctx.outbound.request({
      url: executor.url,
      method: "POST",
      headers: {
        "content-type": "application/jose",
        "x-switchboard-command": command.id,
        "x-switchboard-attempt": String(attempt),
      },
      body: jws,
      timeoutMs: executor.timeoutMs,
      maxBytes: maxBodyBytes,
    });
    const text = new TextDecoder().decode(res.body);
    const body = res.truncated ? text : parseBody(text);
    return { statusCode: res.status, error: null, durationMs: Date.now() - started, body, refused: false };
  } catch (error) {
    const failure = error instanceof OutboundError ? error.failure : "network";
    const message =
      failure === "timeout" || failure === "connect_timeout"
        ? `timed out after ${executor.timeoutMs} ms`
        : error instanceof OutboundError
          ? error.message
          : `request failed: ${String(error)}`;
    const refused = failure === "refused" || failure === "redirect";
    return { statusCode: null, error: message, durationMs: Date.now() - started, body: null, refused };
  }
}

function parseBody(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * succeeded: 2xx (unless it says `{"status":"failed"}`); failed: a refused destination or
 * redirect; retry: no answer, 408, 425, 429, 5xx; else failed.
 */
export function verdictOf(result: CallResult): "succeeded" | "failed" | "retry" {
  const code = result.statusCode;
  if (result.refused) return "failed";
  if (code === null) return "retry";
  if (code >= 200 && code < 300) {
    const status = (result.body as { status?: unknown } | null)?.status;
    return status === "failed" ? "failed" : "succeeded";
  }
  if (code >= 500 || code === 408 || code === 425 || code === 429) return "retry";
  return "failed";
}
