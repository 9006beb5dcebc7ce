/**
 * The outbound client on Workers, over the runtime's `fetch`. A Worker cannot resolve a name
 * or see the address it connects to, so what it can check, it checks before the request: the
 * URL (https; no credentials; an IP-literal host must be public; `localhost` names refused).
 * Redirects are never followed (`redirect: "manual"`, any 3xx is an error), the whole exchange
 * is bounded by one timer, and the answer is read as a stream up to the byte cap.
 *
 * What the platform adds: a deployed Worker's `fetch` leaves from Cloudflare's network to the
 * public Internet, not from inside the deployment's network, so a private name or address of
 * that network has no route from it (unless a binding such as a Tunnel or VPC service is added
 * on purpose — none is). Names are resolved by Cloudflare's public resolver.
 */

import { checkOutboundUrl, OutboundError, readCapped, redirectRefused, safeUrl } from "./outbound";
import type { AddressPolicy } from "./outbound-address";
import type { Outbound, OutboundRequest, OutboundResponse } from "./ports";

export function createFetchOutbound(
  policy: AddressPolicy,
  doFetch: typeof fetch = (input, init) => fetch(input, init),
): Outbound {
  return {
    allowLoopback: policy.allowLoopback,
    async request(request: OutboundRequest): Promise<OutboundResponse> {
      const url = checkOutboundUrl(request.url, policy);
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, request.timeoutMs);
      try {
        const res = await doFetch(url, {
          method: request.method ?? "GET",
          headers: request.headers,
          body: request.body,
          redirect: "manual",
          signal: controller.signal,
        });
        if (res.status >= 300 && res.status < 400) {
          await res.body?.cancel().catch(() => undefined);
          throw redirectRefused(res.status, request.url);
        }
        const { body, truncated } = await readCapped(res.body, request.maxBytes);
        return { status: res.status, headers: res.headers, body, truncated };
      } catch (error) {
        if (error instanceof OutboundError) throw error;
        if (timedOut) throw new OutboundError("timeout", `timed out after ${request.timeoutMs} ms`);
        throw new OutboundError("network", `request to ${safeUrl(request.url)} failed: ${String(error)}`);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
