/** Host names: how a request's Host is read and which white-label hosts may be registered. */

/** Lowercase DNS name of at least two labels, the last starting with a letter (so never an IP literal). */
export const hostnamePattern =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The request's host, lowercased, without port or trailing dot. Taken from the URL the runtime built. */
export function requestHost(url: string): string {
  return new URL(url).hostname.toLowerCase().replace(/\.$/, "");
}

export const normalizeHost = (host: string): string => host.trim().toLowerCase().replace(/\.$/, "");

export const isValidHost = (host: string): boolean => hostnamePattern.test(host);

const loopbackHosts = new Set(["127.0.0.1", "[::1]", "localhost"]);

/**
 * A URL the server will fetch or show: https only, http allowed for a loopback host
 * on Node (a local or test IdP); never credentials in the URL.
 */
export function isAllowedOutboundUrl(value: string, options: { allowLoopbackHttp: boolean }): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === "https:") return true;
  return options.allowLoopbackHttp && url.protocol === "http:" && loopbackHosts.has(url.hostname);
}

/** The DNS name whose TXT record proves a tenant controls `host`. */
export const challengeName = (host: string): string => `_switchboard-challenge.${host}`;

/** A host the platform keeps for itself: one of `reserved` or a subdomain of one. */
export function isReservedHost(host: string, reserved: readonly string[]): boolean {
  return reserved.some((r) => host === r || host.endsWith(`.${r}`));
}
