/**
 * ObjectStore over the S3 REST API (AWS S3, Cloudflare R2, MinIO), signed with aws4fetch.
 * Only fetch, URL, TextEncoder and WebCrypto are used so the same code runs in Workers and Node.
 */
import { AwsClient } from "aws4fetch";
import type { GetOptions, ListPage, ObjectBody, ObjectInfo, ObjectStore, PutOptions } from "./ports";
import {
  checkKey,
  clampLimit,
  emptyBody,
  encodeKey,
  encodeRfc3986,
  errorFor,
  escapeXml,
  infoFromHeaders,
  makeBucketUrl,
  missingOrThrow,
  parseListResult,
  s3Error,
  sha256Hex,
  unquote,
  xmlValue,
} from "./store-s3-wire";
import { DependencyUnavailableError } from "./unavailable";

export interface S3StoreOptions {
  /** e.g. `https://<account>.r2.cloudflarestorage.com`, `https://s3.eu-west-1.amazonaws.com`, `http://127.0.0.1:9000`. */
  endpoint: string;
  bucket: string;
  /** `auto` for R2. */
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `https://host/bucket/key` when true, `https://bucket.host/key` otherwise (the AWS default). */
  forcePathStyle?: boolean;
  sessionToken?: string;
  fetch?: typeof fetch;
  /**
   * Bytes per part when `putStream` uploads in parts (default 8 MiB). S3 wants every part
   * but the last to be at least 5 MiB, R2 wants them all the same size: one fixed size serves both.
   */
  partBytes?: number;
}

/** S3 refuses presigned URLs valid for longer than seven days. */
const MAX_PRESIGN_SECONDS = 604_800;
const DEFAULT_PART_BYTES = 8 * 1024 * 1024;
const encoder = new TextEncoder();
/** Waits before the second and third try of a request that failed to connect or answered 5xx / 429. */
const retryWaitsMs = [100, 400];
const wait = (ms: number | undefined) => new Promise((resolve) => setTimeout(resolve, ms));

export function createS3Store(options: S3StoreOptions): ObjectStore {
  const client = new AwsClient({
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
    sessionToken: options.sessionToken,
    service: "s3",
    region: options.region,
  });
  // Wrapped so a platform fetch is never called with a foreign `this` (Workers throws "Illegal invocation").
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const bucketUrl = makeBucketUrl(options);
  const partBytes = options.partBytes ?? DEFAULT_PART_BYTES;

  const objectUrl = (key: string): string => `${bucketUrl}/${encodeKey(key)}`;

  /** 2xx and 404 come back; any other status is thrown, but those in `accept`. */
  async function send(
    method: string,
    url: string,
    key: string,
    init: RequestInit = {},
    accept: number[] = [],
  ): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const request = await client.sign(url, { ...init, method });
      let response: Response;
      try {
        response = await doFetch(request);
      } catch (error) {
        // Refused, reset, unreachable: tried again after a moment, then left to the caller
        // (a 503 for a request, a retry for a queued chunk).
        if (attempt >= retryWaitsMs.length) throw error;
        await wait(retryWaitsMs[attempt]);
        continue;
      }
      if (response.ok || response.status === 404 || accept.includes(response.status)) return response;
      const error = await s3Error(method, key, response);
      if (!(response.status >= 500 || response.status === 429)) throw error;
      if (attempt >= retryWaitsMs.length) {
        throw new DependencyUnavailableError("objectStore", error.message, { cause: error });
      }
      await wait(retryWaitsMs[attempt]);
    }
  }

  async function head(key: string): Promise<ObjectInfo | null> {
    const response = await send("HEAD", objectUrl(checkKey(key)), key);
    await response.body?.cancel();
    return response.status === 404 ? null : infoFromHeaders(key, response.headers);
  }

  async function list(opts: { prefix?: string; cursor?: string; limit?: number } = {}): Promise<ListPage> {
    const params: [string, string][] = [["list-type", "2"]];
    if (opts.prefix) params.push(["prefix", opts.prefix]);
    if (opts.cursor) params.push(["continuation-token", opts.cursor]);
    params.push(["max-keys", String(clampLimit(opts.limit))]);
    const query = params.map(([k, v]) => `${k}=${encodeRfc3986(v)}`).join("&");
    const label = `${opts.prefix ?? ""}*`;
    const response = await send("GET", `${bucketUrl}/?${query}`, label);
    if (response.status === 404) throw await s3Error("GET", label, response);
    return parseListResult(await response.text());
  }

  async function put(
    key: string,
    body: Uint8Array | string,
    putOptions: PutOptions = {},
  ): Promise<ObjectInfo> {
    const bytes = typeof body === "string" ? encoder.encode(body) : body;
    const contentType = putOptions.contentType ?? "application/octet-stream";
    const headers = {
      "content-type": contentType,
      "x-amz-content-sha256": await sha256Hex(bytes),
    };
    const response = await send("PUT", objectUrl(checkKey(key)), key, {
      headers,
      body: bytes as Uint8Array<ArrayBuffer>,
    });
    if (response.status === 404) throw await s3Error("PUT", key, response);
    await response.body?.cancel();
    return { key, size: bytes.byteLength, etag: unquote(response.headers.get("etag")), contentType };
  }

  /** A POST, PUT or DELETE on a multipart upload; any answer but 2xx is an error. */
  async function sendUpload(method: string, url: string, key: string, init: RequestInit = {}) {
    const response = await send(method, url, key, init);
    if (response.status === 404) throw await s3Error(method, key, response);
    return response;
  }

  /** CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload. */
  const multipart = {
    async create(key: string, contentType: string): Promise<string> {
      const response = await sendUpload("POST", `${objectUrl(key)}?uploads=`, key, {
        headers: { "content-type": contentType },
      });
      const uploadId = xmlValue(await response.text(), "UploadId");
      if (!uploadId) throw new Error(`S3 POST "${key}" (create multipart upload) answered no UploadId`);
      return uploadId;
    },
    async part(key: string, uploadId: string, number: number, bytes: Uint8Array): Promise<string> {
      const query = `partNumber=${number}&uploadId=${encodeRfc3986(uploadId)}`;
      const response = await sendUpload("PUT", `${objectUrl(key)}?${query}`, key, {
        headers: { "x-amz-content-sha256": await sha256Hex(bytes) },
        body: bytes as Uint8Array<ArrayBuffer>,
      });
      await response.body?.cancel();
      const etag = response.headers.get("etag");
      if (!etag) throw new Error(`S3 PUT "${key}" (part ${number}) answered no ETag`);
      return etag;
    },
    async complete(key: string, uploadId: string, etags: string[]): Promise<string | undefined> {
      const parts = etags.map(
        (etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`,
      );
      const xml = `<CompleteMultipartUpload>${parts.join("")}</CompleteMultipartUpload>`;
      const response = await sendUpload(
        "POST",
        `${objectUrl(key)}?uploadId=${encodeRfc3986(uploadId)}`,
        key,
        {
          headers: { "content-type": "application/xml" },
          body: xml,
        },
      );
      const text = await response.text();
      // CompleteMultipartUpload can fail after answering 200: the error is then in the body.
      if (xmlValue(text, "Code")) throw errorFor("POST", key, response.status, text);
      return unquote(xmlValue(text, "ETag") ?? null);
    },
    async abort(key: string, uploadId: string): Promise<void> {
      const url = `${objectUrl(key)}?uploadId=${encodeRfc3986(uploadId)}`;
      const response = await send("DELETE", url, key, {}, [405, 501]);
      await response.body?.cancel();
    },
  };

  /**
   * The stream, a part at a time through one reused buffer: one PUT when it ends within the
   * first part, else a multipart upload completed at its end and aborted if it fails.
   */
  async function putStream(key: string, body: ReadableStream<Uint8Array>, putOptions: PutOptions = {}) {
    checkKey(key);
    const contentType = putOptions.contentType ?? "application/octet-stream";
    const part = new Uint8Array(partBytes);
    let filled = 0;
    let size = 0;
    let uploadId: string | undefined;
    const etags: string[] = [];
    try {
      for await (const piece of body as unknown as AsyncIterable<Uint8Array>) {
        for (let offset = 0; offset < piece.byteLength; ) {
          const n = Math.min(piece.byteLength - offset, partBytes - filled);
          part.set(piece.subarray(offset, offset + n), filled);
          filled += n;
          offset += n;
          if (filled === partBytes) {
            uploadId ??= await multipart.create(key, contentType);
            etags.push(await multipart.part(key, uploadId, etags.length + 1, part));
            filled = 0;
          }
        }
        size += piece.byteLength;
      }
      if (uploadId === undefined) return await put(key, part.subarray(0, filled), putOptions);
      if (filled > 0)
        etags.push(await multipart.part(key, uploadId, etags.length + 1, part.subarray(0, filled)));
      const etag = await multipart.complete(key, uploadId, etags);
      return { key, size, etag, contentType };
    } catch (error) {
      // Parts of an upload never completed are not an object, but they are stored (and billed) until aborted.
      if (uploadId !== undefined) await multipart.abort(key, uploadId).catch(() => undefined);
      throw error;
    }
  }

  return {
    put,
    putStream,

    async get(key: string, getOptions: GetOptions = {}): Promise<ObjectBody | null> {
      const { range } = getOptions;
      if (range && range.length <= 0) {
        const info = await head(key);
        return info && emptyBody(info);
      }
      const headers: Record<string, string> = range
        ? { range: `bytes=${range.offset}-${range.offset + range.length - 1}` }
        : {};
      const response = await send("GET", objectUrl(checkKey(key)), key, { headers }, [416]);
      if (response.status === 416) {
        // The range starts past the end: an empty body, as a file read there gives.
        await response.body?.cancel();
        const info = await head(key);
        return info && emptyBody(info);
      }
      if (response.status === 404) return missingOrThrow("GET", key, response);
      if (range && response.status !== 206) {
        await response.body?.cancel();
        throw new Error(`S3 GET "${key}" with a Range answered ${response.status}, not 206`);
      }
      const info = infoFromHeaders(key, response.headers);
      let consumed: Promise<Uint8Array> | undefined;
      const bytes = () => {
        consumed ??= response.arrayBuffer().then((buffer) => new Uint8Array(buffer));
        return consumed;
      };
      return {
        ...info,
        body: response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
        bytes,
        text: async () => new TextDecoder().decode(await bytes()),
      };
    },

    head,

    async delete(key: string): Promise<void> {
      const response = await send("DELETE", objectUrl(checkKey(key)), key);
      // A missing key already counts as deleted; a missing bucket does not.
      if (response.status === 404) await missingOrThrow("DELETE", key, response);
      else await response.body?.cancel();
    },

    async copy(from: string, to: string): Promise<ObjectInfo | null> {
      const source = `/${options.bucket}/${encodeKey(checkKey(from))}`;
      const response = await send("PUT", objectUrl(checkKey(to)), to, {
        headers: { "x-amz-copy-source": source },
      });
      const text = await response.text();
      const code = xmlValue(text, "Code");
      if (response.status === 404 && code !== "NoSuchBucket") return null;
      // CopyObject can fail after answering 200: the error is then in the body.
      if (response.status === 404 || code) throw errorFor("PUT", to, response.status, text);
      return head(to);
    },

    list,

    async presign(key, { method, expiresInSeconds }): Promise<string> {
      const expires = Math.floor(expiresInSeconds);
      if (!(expires >= 1 && expires <= MAX_PRESIGN_SECONDS)) {
        throw new Error(`S3 presign ${key}: expiresInSeconds must be between 1 and ${MAX_PRESIGN_SECONDS}`);
      }
      const url = `${objectUrl(checkKey(key))}?X-Amz-Expires=${expires}`;
      const signed = await client.sign(url, { method, aws: { signQuery: true } });
      return signed.url;
    },

    async ping(): Promise<void> {
      await list({ limit: 1 });
    },
  };
}
