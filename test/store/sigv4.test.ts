import { readFileSync } from "node:fs";
import path from "node:path";
import { AwsV4Signer } from "aws4fetch";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createS3Store } from "../../shared/platform/store-s3";

interface SigV4Case {
  name: string;
  method: string;
  url: string;
  datetime: string;
  expiresSeconds?: number;
  headers?: Record<string, string>;
  signedHeaders: string;
  expectedSignature: string;
  expectedStringToSignHash?: string;
}

interface SigV4Examples {
  credentials: { accessKeyId: string; secretAccessKey: string; region: string; service: string };
  cases: SigV4Case[];
}

const examples = JSON.parse(
  readFileSync(path.resolve(process.cwd(), "../shared/vectors/sigv4/s3-examples.json"), "utf8"),
) as SigV4Examples;
const { credentials } = examples;

function exampleCase(predicate: (c: SigV4Case) => boolean): SigV4Case {
  const found = examples.cases.find(predicate);
  if (!found) throw new Error("example case missing from s3-examples.json");
  return found;
}

const presigned = exampleCase((c) => c.expiresSeconds !== undefined);
const headerSigned = exampleCase((c) => c.headers !== undefined);

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

describe("AWS SigV4 S3 examples", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it(`${presigned.name}: aws4fetch reproduces the published signature`, async () => {
    const url = new URL(presigned.url);
    url.searchParams.set("X-Amz-Expires", String(presigned.expiresSeconds));
    const signer = new AwsV4Signer({
      ...credentials,
      method: presigned.method,
      url: url.toString(),
      datetime: presigned.datetime,
      signQuery: true,
    });
    const signed = await signer.sign();
    expect(signed.url.searchParams.get("X-Amz-SignedHeaders")).toBe(presigned.signedHeaders);
    expect(signed.url.searchParams.get("X-Amz-Signature")).toBe(presigned.expectedSignature);
  });

  it(`${presigned.name}: the S3 adapter's presign produces the published URL`, async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const d = presigned.datetime;
    vi.setSystemTime(
      new Date(
        `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`,
      ),
    );
    const url = new URL(presigned.url);
    const store = createS3Store({
      ...credentials,
      endpoint: `${url.protocol}//${url.host.replace(/^examplebucket\./, "")}`,
      bucket: "examplebucket",
    });
    const result = new URL(
      (await store.presign(url.pathname.slice(1), {
        method: "GET",
        expiresInSeconds: presigned.expiresSeconds ?? 0,
      })) ?? "",
    );
    expect(`${result.origin}${result.pathname}`).toBe(presigned.url);
    expect(Object.fromEntries(result.searchParams)).toEqual({
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Credential": `${credentials.accessKeyId}/${d.slice(0, 8)}/${credentials.region}/s3/aws4_request`,
      "X-Amz-Date": d,
      "X-Amz-Expires": String(presigned.expiresSeconds),
      "X-Amz-SignedHeaders": presigned.signedHeaders,
      "X-Amz-Signature": presigned.expectedSignature,
    });
  });

  it(`${headerSigned.name}: reproduced when every header is signed`, async () => {
    const signer = new AwsV4Signer({
      ...credentials,
      method: headerSigned.method,
      url: headerSigned.url,
      headers: headerSigned.headers,
      datetime: headerSigned.datetime,
      allHeaders: true,
    });
    expect(signer.signedHeaders).toBe(headerSigned.signedHeaders);
    // The published value is the hash of the canonical request, the last line of the string to sign.
    const canonicalHash = await sha256Hex(await signer.canonicalString());
    expect(canonicalHash).toBe(headerSigned.expectedStringToSignHash);
    expect((await signer.stringToSign()).split("\n").at(-1)).toBe(headerSigned.expectedStringToSignHash);
    expect(await signer.signature()).toBe(headerSigned.expectedSignature);
    expect(await signer.authHeader()).toBe(
      `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${headerSigned.datetime.slice(0, 8)}/` +
        `${credentials.region}/s3/aws4_request, SignedHeaders=${headerSigned.signedHeaders}, ` +
        `Signature=${headerSigned.expectedSignature}`,
    );
  });

  it(`${headerSigned.name}: by default aws4fetch leaves range unsigned`, async () => {
    const signer = new AwsV4Signer({
      ...credentials,
      method: headerSigned.method,
      url: headerSigned.url,
      headers: headerSigned.headers,
      datetime: headerSigned.datetime,
    });
    expect(signer.signedHeaders).toBe("host;x-amz-content-sha256;x-amz-date");
    expect(await signer.signature()).not.toBe(headerSigned.expectedSignature);
  });
});
