/**
 * The outbound client on Node, over node:http / node:https. The name is resolved once, by the
 * socket's own `lookup`: every address DNS returns is checked and the socket connects only to
 * those checked addresses, so a name cannot resolve to a public address for the check and to a
 * private one for the connect (DNS rebinding). The connected socket's remote address is checked
 * again. TLS keeps the name for SNI and certificate checks, and `Host` is the URL's host.
 * Imported only by the Node platform (the Worker bundle never holds node:http).
 */
import { lookup as dnsLookup } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction, Socket } from "node:net";
import {
  bareHost,
  checkOutboundUrl,
  concat,
  defaultConnectTimeoutMs,
  OutboundError,
  redirectRefused,
  safeUrl,
} from "./outbound";
import { type AddressPolicy, addressProblem, isIpLiteral } from "./outbound-address";
import type { Outbound, OutboundRequest, OutboundResponse } from "./ports";

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Name → every address for it. Default: the system resolver (getaddrinfo), as any Node client. */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

export function createNodeOutbound(options: AddressPolicy & { resolve?: Resolve }): Outbound {
  const policy: AddressPolicy = { allowLoopback: options.allowLoopback };
  const resolve = options.resolve ?? systemResolve;

  /** Resolves and refuses the name unless every address it has is allowed. */
  const guardedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const bad = addresses.map((a) => addressProblem(a.address, policy)).find((p) => p !== null);
        const first = addresses[0];
        if (bad || !first) {
          const why = bad ?? "no address";
          callback(new OutboundError("refused", `refused ${hostname}: ${why}`), "", 0);
        } else if (lookupOptions.all) {
          (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, addresses);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, "", 0),
    );
  };

  return {
    allowLoopback: policy.allowLoopback,
    request: async (request) => send(request, policy, guardedLookup),
  };
}

function send(
  request: OutboundRequest,
  policy: AddressPolicy,
  lookup: LookupFunction,
): Promise<OutboundResponse> {
  const url = checkOutboundUrl(request.url, policy);
  const host = bareHost(url);
  const connectTimeoutMs = Math.min(request.connectTimeoutMs ?? defaultConnectTimeoutMs, request.timeoutMs);
  const secure = url.protocol === "https:";
  return new Promise<OutboundResponse>((resolve, reject) => {
    let settled = false;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const fail = (error: OutboundError) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      req.destroy();
      reject(error);
    };
    const done = (response: OutboundResponse) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      resolve(response);
    };
    const req = (secure ? httpsRequest : httpRequest)({
      protocol: url.protocol,
      hostname: host,
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      method: request.method ?? "GET",
      headers: { ...request.headers, host: url.host },
      // A fresh connection each time: a pooled socket would skip the lookup and its check.
      agent: false,
      lookup,
      ...(secure && !isIpLiteral(host) ? { servername: host } : {}),
    });
    timers.push(
      setTimeout(
        () => fail(new OutboundError("timeout", `timed out after ${request.timeoutMs} ms`)),
        request.timeoutMs,
      ),
    );
    const connectTimer = setTimeout(
      () => fail(new OutboundError("connect_timeout", `could not connect within ${connectTimeoutMs} ms`)),
      connectTimeoutMs,
    );
    timers.push(connectTimer);
    req.on("socket", (socket: Socket) => {
      socket.once(secure ? "secureConnect" : "connect", () => clearTimeout(connectTimer));
      socket.once("connect", () => {
        // Belt and braces: whatever path the socket took, the address it reached must be allowed.
        const problem = socket.remoteAddress ? addressProblem(socket.remoteAddress, policy) : "no address";
        if (problem) fail(new OutboundError("refused", `refused ${safeUrl(request.url)}: ${problem}`));
      });
    });
    req.on("error", (error) => {
      if (error instanceof OutboundError) fail(error);
      else fail(new OutboundError("network", `request to ${safeUrl(request.url)} failed: ${error.message}`));
    });
    req.on("response", (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.destroy();
        fail(redirectRefused(status, request.url));
        return;
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      const finish = (truncated: boolean) =>
        done({ status, headers: headersOf(res), body: concat(chunks, size), truncated });
      res.on("data", (chunk: Buffer) => {
        if (settled) return;
        const room = request.maxBytes - size;
        if (chunk.byteLength > room) {
          chunks.push(chunk.subarray(0, room));
          size += room;
          finish(true);
          res.destroy();
          req.destroy();
          return;
        }
        chunks.push(chunk);
        size += chunk.byteLength;
      });
      res.on("end", () => finish(false));
      res.on("error", (error) =>
        fail(new OutboundError("network", `reading ${safeUrl(request.url)} failed: ${error.message}`)),
      );
    });
    req.end(request.body);
  });
}

function headersOf(res: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}
