/**
 * What both outbound adapters share: the error they throw, the check of a URL before any
 * connection (also used when a tenant saves one), and reading an answer up to a byte cap.
 */
import {
  type AddressPolicy,
  addressProblem,
  classifyAddress,
  isIpLiteral,
  isLoopbackName,
} from "./outbound-address";

export type OutboundFailure =
  /** The destination is not allowed (address class, scheme, credentials in the URL). */
  | "refused"
  /** The destination answered 3xx: redirects are never followed. */
  | "redirect"
  | "connect_timeout"
  | "timeout"
  | "network";

export class OutboundError extends Error {
  readonly failure: OutboundFailure;
  constructor(failure: OutboundFailure, message: string) {
    super(message);
    this.name = "OutboundError";
    this.failure = failure;
  }
}

/** Hostname without the brackets of an IPv6 literal. */
export const bareHost = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, "$1");

/**
 * Why the server may not send a request to this URL, or null when it may (so far as can be
 * told without DNS): https only, http only to a loopback host when loopback is allowed; no
 * credentials in the URL; an IP-literal host must be a public address; `localhost` names are
 * loopback. Names are checked again, resolved, when the request is made.
 */
export function outboundUrlProblem(raw: string | URL, policy: AddressPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not an absolute URL";
  }
  if (url.username || url.password) return "credentials in the URL are not accepted";
  const host = bareHost(url).toLowerCase();
  const loopbackName = isLoopbackName(host);
  const literal = isIpLiteral(host);
  const loopback = loopbackName || classifyAddress(host) === "loopback";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && policy.allowLoopback && loopback)) {
    return policy.allowLoopback
      ? "must be an https:// URL (http:// only for a loopback host)"
      : "must be an https:// URL";
  }
  if (loopbackName && !policy.allowLoopback) return `${host} is a loopback host`;
  if (literal) return addressProblem(host, policy);
  return null;
}

/** Throws `refused` when the URL may not be requested; returns it parsed. */
export function checkOutboundUrl(raw: string, policy: AddressPolicy): URL {
  const problem = outboundUrlProblem(raw, policy);
  if (problem) throw new OutboundError("refused", `refused ${safeUrl(raw)}: ${problem}`);
  return new URL(raw);
}

/** The URL as an error may show it: no credentials, no query. */
export function safeUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return "(not a URL)";
  }
}

export const defaultConnectTimeoutMs = 5_000;

/** Reads a web stream up to `maxBytes`, then cancels it: never holds more than the cap. */
export async function readCapped(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<{ body: Uint8Array; truncated: boolean }> {
  if (!stream) return { body: new Uint8Array(0), truncated: false };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - size;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      size += room;
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { body: concat(chunks, size), truncated };
}

export function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

export const redirectRefused = (status: number, raw: string) =>
  new OutboundError("redirect", `${safeUrl(raw)} answered ${status}: redirects are not followed`);
