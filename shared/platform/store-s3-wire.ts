/** The S3 REST API on the wire: bucket URLs, key encoding, error answers, ListObjectsV2 XML, headers. */
import type { ListPage, ObjectBody, ObjectInfo } from "./ports";
import type { S3StoreOptions } from "./store-s3";

export function emptyBody(info: ObjectInfo): ObjectBody {
  return {
    ...info,
    size: 0,
    body: new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
    bytes: async () => new Uint8Array(0),
    text: async () => "",
  };
}

export function clampLimit(limit: number | undefined): number {
  return limit !== undefined && Number.isFinite(limit)
    ? Math.max(1, Math.min(1000, Math.floor(limit)))
    : 1000;
}

export function makeBucketUrl(options: S3StoreOptions): string {
  const endpoint = new URL(options.endpoint);
  const basePath = endpoint.pathname.replace(/\/+$/, "");
  if (options.forcePathStyle) return `${endpoint.origin}${basePath}/${encodeRfc3986(options.bucket)}`;
  const url = `${endpoint.protocol}//${options.bucket}.${endpoint.host}${basePath}`;
  // WHATWG URL rejects hosts like `bucket.127.0.0.1`: a last label that is a number means IPv4.
  if (!URL.canParse(url) || /^\[|^[\d.]+$/.test(endpoint.hostname)) {
    throw new Error(
      `S3 endpoint ${endpoint.host} is an IP address; virtual-hosted style needs forcePathStyle: true`,
    );
  }
  return url;
}

/** Each segment percent-encoded (RFC 3986), `/` kept, which is also how aws4fetch canonicalises the path. */
export function encodeKey(key: string): string {
  return key.split("/").map(encodeRfc3986).join("/");
}

export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function checkKey(key: string): string {
  if (key.length === 0) throw new Error("S3 key must not be empty");
  // The URL parser would resolve these segments away, addressing a different object.
  if (key.split("/").some((segment) => segment === "." || segment === "..")) {
    throw new Error(`S3 key "${key}" has a "." or ".." segment, which cannot be sent in a URL`);
  }
  return key;
}

export async function missingOrThrow(method: string, key: string, response: Response): Promise<null> {
  const text = await response.text();
  if (xmlValue(text, "Code") === "NoSuchBucket") throw errorFor(method, key, response.status, text);
  return null;
}

export async function s3Error(method: string, key: string, response: Response): Promise<Error> {
  const text = method === "HEAD" ? "" : await response.text().catch(() => "");
  return errorFor(method, key, response.status, text);
}

export function errorFor(method: string, key: string, status: number, text: string): Error {
  const code = xmlValue(text, "Code") ?? "UnknownError";
  const message = xmlValue(text, "Message");
  return new Error(`S3 ${method} "${key}" failed: ${status} ${code}${message ? ` (${message})` : ""}`);
}

export function infoFromHeaders(key: string, headers: Headers): ObjectInfo {
  const lastModified = headers.get("last-modified");
  return {
    key,
    size: Number(headers.get("content-length") ?? 0),
    etag: unquote(headers.get("etag")),
    contentType: headers.get("content-type") ?? undefined,
    lastModified: lastModified ? new Date(lastModified) : undefined,
  };
}

export function parseListResult(xml: string): ListPage {
  const objects: ObjectInfo[] = [];
  for (const match of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
    const block = match[1] ?? "";
    const lastModified = xmlValue(block, "LastModified");
    objects.push({
      key: xmlValue(block, "Key") ?? "",
      size: Number(xmlValue(block, "Size") ?? 0),
      etag: unquote(xmlValue(block, "ETag") ?? null),
      lastModified: lastModified ? new Date(lastModified) : undefined,
    });
  }
  const truncated = xmlValue(xml, "IsTruncated") === "true";
  const cursor = truncated ? xmlValue(xml, "NextContinuationToken") : undefined;
  return cursor ? { objects, cursor } : { objects };
}

export function xmlValue(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return match ? decodeXml(match[1] ?? "") : undefined;
}

export const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return NAMED_ENTITIES[entity] ?? whole;
  });
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function unquote(etag: string | null): string | undefined {
  return etag ? etag.replace(/^(W\/)?"|"$/g, "") : undefined;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
