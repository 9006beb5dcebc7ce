/**
 * One delivery to the executor: the command as a compact JWS (EdDSA, the app's key; the
 * partner verifies it with /.well-known/jwks.json), POSTed as `application/jose`, bounded by
 * AbortSignal.timeout. Returns what happened; never throws for the executor's sake.
 */
import type { TenantCtx } from "../../context/context";
import type { Command, Executor } from "../../db/schema";

export const commandJwsType = "switchboard-command+jws";
const maxBodyChars = 16_384;

export interface CallResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  body: unknown;
}

export async function callExecutor(
  ctx: Pick<TenantCtx, "signer" | "clock" | "tenant">,
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
    const res = await fetch(executor.url, {
      method: "POST",
      headers: {
        "content-type": "application/jose",
        "x-switchboard-command": command.id,
        "x-switchboard-attempt": String(attempt),
      },
      body: jws,
      redirect: "manual",
      signal: AbortSignal.timeout(executor.timeoutMs),
    });
    const text = (await res.text()).slice(0, maxBodyChars);
    return { statusCode: res.status, error: null, durationMs: Date.now() - started, body: parseBody(text) };
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    const message =
      name === "TimeoutError"
        ? `timed out after ${executor.timeoutMs} ms`
        : `request failed: ${String(error)}`;
    return { statusCode: null, error: message, durationMs: Date.now() - started, body: null };
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

/** succeeded: 2xx (unless it says `{"status":"failed"}`); retry: no answer, 408, 425, 429, 5xx; else failed. */
export function verdictOf(result: CallResult): "succeeded" | "failed" | "retry" {
  const code = result.statusCode;
  if (code === null) return "retry";
  if (code >= 200 && code < 300) {
    const status = (result.body as { status?: unknown } | null)?.status;
    return status === "failed" ? "failed" : "succeeded";
  }
  if (code >= 500 || code === 408 || code === 425 || code === 429) return "retry";
  return "failed";
}
