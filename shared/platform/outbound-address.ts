/**
 * Which network addresses the server may connect to for a tenant. Pure (no DNS, no sockets):
 * the Node adapter applies it to every resolved address and to the socket it connected; the
 * Workers adapter and URL validation apply it to literal IP hosts.
 */

export type AddressClass =
  | "public"
  | "loopback"
  | "private"
  | "link-local"
  | "cgnat"
  | "unique-local"
  | "unspecified"
  | "multicast"
  | "reserved"
  | "invalid";

type Range = readonly [prefix: bigint, bits: number, cls: AddressClass];

const v4 = (a: number, b: number, c: number, d: number): bigint =>
  BigInt(((a << 24) >>> 0) + (b << 16) + (c << 8) + d);

/** First match wins, so narrower ranges come first where they overlap. */
const v4Ranges: readonly Range[] = [
  [v4(0, 0, 0, 0), 8, "unspecified"], // "this network", incl. 0.0.0.0
  [v4(10, 0, 0, 0), 8, "private"],
  [v4(100, 64, 0, 0), 10, "cgnat"],
  [v4(127, 0, 0, 0), 8, "loopback"],
  [v4(169, 254, 0, 0), 16, "link-local"], // incl. 169.254.169.254, the cloud metadata service
  [v4(172, 16, 0, 0), 12, "private"],
  [v4(192, 0, 0, 0), 24, "reserved"], // IETF protocol assignments
  [v4(192, 0, 2, 0), 24, "reserved"], // documentation
  [v4(192, 88, 99, 0), 24, "reserved"], // 6to4 relay anycast
  [v4(192, 168, 0, 0), 16, "private"],
  [v4(198, 18, 0, 0), 15, "reserved"], // benchmarking
  [v4(198, 51, 100, 0), 24, "reserved"],
  [v4(203, 0, 113, 0), 24, "reserved"],
  [v4(224, 0, 0, 0), 4, "multicast"],
  [v4(240, 0, 0, 0), 4, "reserved"], // incl. 255.255.255.255
];

const inRange = (value: bigint, width: number, [prefix, bits]: Range): boolean =>
  value >> BigInt(width - bits) === prefix >> BigInt(width - bits);

function parseV4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseV6(text: string): bigint | null {
  let body = text.replace(/%.*$/, ""); // zone id
  let tail: bigint | null = null;
  const lastColon = body.lastIndexOf(":");
  if (body.includes(".", lastColon)) {
    tail = parseV4(body.slice(lastColon + 1));
    if (tail === null) return null;
    body = `${body.slice(0, lastColon + 1)}0:0`;
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0] ?? "");
  const rest = halves.length === 2 ? groups(halves[1] ?? "") : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  let value = 0n;
  for (const group of all) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return null;
    value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  }
  if (tail !== null) value = (value & ~0xffffffffn) | tail;
  return value;
}

function classifyV4(value: bigint): AddressClass {
  for (const range of v4Ranges) if (inRange(value, 32, range)) return range[2];
  return "public";
}

const v6 = (hex: string): bigint => parseV6(hex) ?? 0n;
const embeddedV4: readonly [bigint, number][] = [
  [v6("::ffff:0:0"), 96], // IPv4-mapped
  [v6("64:ff9b::"), 96], // NAT64 well-known prefix
  [v6("::"), 96], // IPv4-compatible (deprecated); :: and ::1 are caught before
];
const v6Ranges: readonly Range[] = [
  [v6("fc00::"), 7, "unique-local"],
  [v6("fe80::"), 10, "link-local"],
  [v6("fec0::"), 10, "private"], // site-local (deprecated)
  [v6("ff00::"), 8, "multicast"],
  [v6("2001:db8::"), 32, "reserved"], // documentation
  [v6("100::"), 64, "reserved"], // discard
];

function classifyV6(value: bigint): AddressClass {
  if (value === 0n) return "unspecified";
  if (value === 1n) return "loopback";
  for (const [prefix, bits] of embeddedV4) {
    if (inRange(value, 128, [prefix, bits, "public"])) return classifyV4(value & 0xffffffffn);
  }
  if (inRange(value, 128, [v6("2002::"), 16, "public"])) return classifyV4((value >> 80n) & 0xffffffffn); // 6to4
  for (const range of v6Ranges) if (inRange(value, 128, range)) return range[2];
  // Global unicast is 2000::/3; anything else is not assigned for use on the Internet.
  return value >> 125n === 1n ? "public" : "reserved";
}

/** The class of an IPv4 or IPv6 address (brackets and a zone id allowed); `invalid` if it is neither. */
export function classifyAddress(address: string): AddressClass {
  const text = address.replace(/^\[(.*)\]$/, "$1");
  const four = parseV4(text);
  if (four !== null) return classifyV4(four);
  if (!text.includes(":")) return "invalid";
  const six = parseV6(text);
  return six === null ? "invalid" : classifyV6(six);
}

/** True when `host` is an IP literal (dotted IPv4 or IPv6, bracketed or not). */
export const isIpLiteral = (host: string): boolean => classifyAddress(host) !== "invalid";

export interface AddressPolicy {
  /** Loopback (127/8, ::1) allowed: development and tests only (OUTBOUND_ALLOW_LOOPBACK). */
  allowLoopback: boolean;
}

/** Why the server may not connect to this address, or null when it may. */
export function addressProblem(address: string, policy: AddressPolicy): string | null {
  const cls = classifyAddress(address);
  if (cls === "public") return null;
  if (cls === "loopback" && policy.allowLoopback) return null;
  if (cls === "invalid") return `${address} is not an IP address`;
  return `${address} is ${cls === "unspecified" ? "an" : "a"} ${cls} address`;
}

/** Names that always mean this machine, whatever DNS says. */
export const isLoopbackName = (host: string): boolean =>
  host === "localhost" || host.endsWith(".localhost") || host === "localhost.";
