import { AwsClient } from "aws4fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createS3Store, type S3StoreOptions } from "../../shared/platform/store-s3";
import { s3rverCredentials as credentials, type S3rver, startS3rver } from "../support/s3rver";
import { describeObjectStoreContract } from "./object-store.contract";

let server: S3rver | undefined;
let endpoint: string;
let bucketCount = 0;

beforeAll(async () => {
  server = await startS3rver();
  endpoint = server.endpoint;
}, 20_000);

afterAll(async () => {
  await server?.close();
});

async function createBucket(): Promise<string> {
  const bucket = `bucket-${++bucketCount}`;
  const response = await new AwsClient({ ...credentials, service: "s3" }).fetch(`${endpoint}/${bucket}`, {
    method: "PUT",
  });
  expect(response.status).toBe(200);
  return bucket;
}

function pathStyle(bucket: string, extra: Partial<S3StoreOptions> = {}) {
  return createS3Store({ ...credentials, endpoint, bucket, forcePathStyle: true, ...extra });
}

// Parts of 1 MiB (8 MiB in production), so the contract's streams of a few megabytes go through a multipart upload.
describeObjectStoreContract("s3 (s3rver, path-style)", async () =>
  pathStyle(await createBucket(), { partBytes: 1024 * 1024 }),
);

describe("s3 store specifics", () => {
  it("round-trips content through presigned PUT and GET URLs with plain fetch", async () => {
    const store = pathStyle(await createBucket());
    const key = "uploads/report 2024 ü.csv";
    const putUrl = await store.presign(key, { method: "PUT", expiresInSeconds: 300 });
    expect(putUrl).toContain("X-Amz-Signature=");
    expect(putUrl).toContain("X-Amz-Expires=300");
    const put = await fetch(putUrl ?? "", {
      method: "PUT",
      body: "a,b\n1,2\n",
      headers: { "content-type": "text/csv" },
    });
    expect(put.status).toBe(200);

    const getUrl = await store.presign(key, { method: "GET", expiresInSeconds: 300 });
    const got = await fetch(getUrl ?? "");
    expect(got.status).toBe(200);
    expect(await got.text()).toBe("a,b\n1,2\n");
    expect((await store.head(key))?.contentType).toMatch(/^text\/csv/);
  });

  it("rejects presign lifetimes S3 would refuse", async () => {
    const store = pathStyle("any");
    await expect(store.presign("k", { method: "GET", expiresInSeconds: 0 })).rejects.toThrow("between 1 and");
    await expect(store.presign("k", { method: "GET", expiresInSeconds: 604_801 })).rejects.toThrow(
      "between 1",
    );
  });

  it("throws with status, S3 code and key, never the secret", async () => {
    const store = pathStyle("no-such-bucket", { secretAccessKey: "TOP-SECRET-VALUE" });
    const failure = store.put("some/key.txt", "x").catch((error: unknown) => error);
    const error = await failure;
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain("404");
    expect(message).toContain("NoSuchBucket");
    expect(message).toContain("some/key.txt");
    expect(message).not.toContain("TOP-SECRET-VALUE");
    await expect(store.get("k")).rejects.toThrow("NoSuchBucket");
    await expect(store.ping()).rejects.toThrow("NoSuchBucket");

    const badKey = pathStyle("no-such-bucket", { accessKeyId: "UNKNOWN" });
    await expect(badKey.head("k")).rejects.toThrow(/403/);
    await expect(badKey.list()).rejects.toThrow(/403 InvalidAccessKeyId/);
  });

  it("fails ping when the endpoint is unreachable", async () => {
    const store = createS3Store({
      ...credentials,
      endpoint: "http://127.0.0.1:1",
      bucket: "b",
      forcePathStyle: true,
    });
    await expect(store.ping()).rejects.toThrow();
  });

  it("refuses keys a URL cannot carry", async () => {
    const store = pathStyle("any");
    await expect(store.get("a/../b")).rejects.toThrow('".." segment');
    await expect(store.put("", "x")).rejects.toThrow("empty");
  });

  it("addresses http://<bucket>.<host>/<key> in virtual-hosted style", async () => {
    const requests: Request[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      requests.push(request);
      if (request.method === "GET" && new URL(request.url).searchParams.has("list-type")) {
        return new Response("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>");
      }
      return new Response(null, {
        status: request.method === "HEAD" ? 404 : 200,
        headers: { etag: '"abc"' },
      });
    };
    // `vhost-bucket.127.0.0.1` is not a valid URL host (a numeric last label means IPv4), so use localhost.
    const host = `localhost:${new URL(endpoint).port}`;
    const store = createS3Store({
      ...credentials,
      endpoint: `http://${host}`,
      bucket: "vhost-bucket",
      fetch: recordingFetch,
    });

    const info = await store.put("dir/a b+ü.txt", "x", { contentType: "text/plain" });
    expect(info.etag).toBe("abc");
    expect(await store.head("missing")).toBeNull();
    await store.list({ prefix: "dir/", limit: 5 });
    const presigned = await store.presign("dir/x.txt", { method: "GET", expiresInSeconds: 60 });

    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `PUT http://vhost-bucket.${host}/dir/a%20b%2B%C3%BC.txt`,
      `HEAD http://vhost-bucket.${host}/missing`,
      `GET http://vhost-bucket.${host}/?list-type=2&prefix=dir%2F&max-keys=5`,
    ]);
    expect(presigned).toMatch(
      new RegExp(`^http://vhost-bucket\\.${host.replace(/\./g, "\\.")}/dir/x\\.txt\\?`),
    );
    const auth = requests[0]?.headers.get("authorization") ?? "";
    expect(auth).toContain("Credential=S3RVER/");
    expect(auth).toContain("/us-east-1/s3/aws4_request");
    expect(auth).toContain("SignedHeaders=host;x-amz-content-sha256;x-amz-date");
    expect(requests[0]?.headers.get("x-amz-content-sha256")).toBe(
      "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881",
    );
    expect(requests[0]?.headers.get("content-type")).toBe("text/plain");
  });

  it("streams in one PUT within a part, else a multipart upload it aborts when the stream fails", async () => {
    const bucket = await createBucket();
    const requests: string[] = [];
    const recording: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      requests.push(`${request.method} ${url.pathname.replace(`/${bucket}/`, "")}${url.search}`);
      return fetch(request);
    };
    const store = pathStyle(bucket, { partBytes: 1024 * 1024, fetch: recording });
    const stream = (total: number, fail = false) => {
      let sent = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= total) {
            if (fail) controller.error(new Error("cut off"));
            else controller.close();
            return;
          }
          const piece = new Uint8Array(Math.min(400_000, total - sent)).fill(sent % 251);
          sent += piece.byteLength;
          controller.enqueue(piece);
        },
      });
    };

    await store.putStream("one.bin", stream(1024 * 1024 - 1));
    expect(requests).toEqual(["PUT one.bin"]);

    requests.length = 0;
    const info = await store.putStream("parts.bin", stream(2_500_000), { contentType: "text/csv" });
    expect(info).toMatchObject({ size: 2_500_000, contentType: "text/csv" });
    const uploadId = /uploadId=([^&]+)/.exec(requests[1] ?? "")?.[1];
    expect(requests).toEqual([
      "POST parts.bin?uploads=",
      `PUT parts.bin?partNumber=1&uploadId=${uploadId}`,
      `PUT parts.bin?partNumber=2&uploadId=${uploadId}`,
      `PUT parts.bin?partNumber=3&uploadId=${uploadId}`,
      `POST parts.bin?uploadId=${uploadId}`,
    ]);
    expect((await store.head("parts.bin"))?.contentType).toMatch(/^text\/csv/);

    requests.length = 0;
    await expect(store.putStream("cut.bin", stream(2_500_000, true))).rejects.toThrow("cut off");
    expect(requests.at(-1)).toMatch(/^DELETE cut\.bin\?uploadId=/);
    expect(await store.head("cut.bin")).toBeNull();
  });

  it("refuses virtual-hosted style on an IP endpoint", () => {
    for (const ip of [endpoint, "http://[::1]:9000"]) {
      expect(() => createS3Store({ ...credentials, endpoint: ip, bucket: "b" })).toThrow("forcePathStyle");
    }
  });

  it("uses virtual-hosted URLs unless forcePathStyle is set", async () => {
    const requests: string[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      requests.push(new Request(input, init).url);
      return new Response(null, { status: 404 });
    };
    const base = { ...credentials, bucket: "bkt", fetch: recordingFetch };
    await createS3Store({ ...base, endpoint: "https://s3.eu-west-1.amazonaws.com" }).head("k");
    await createS3Store({
      ...base,
      endpoint: "https://acct.r2.cloudflarestorage.com/",
      forcePathStyle: true,
    }).head("k");
    expect(requests).toEqual([
      "https://bkt.s3.eu-west-1.amazonaws.com/k",
      "https://acct.r2.cloudflarestorage.com/bkt/k",
    ]);
  });
});
