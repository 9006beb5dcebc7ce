/**
 * Large files through an upload slot: a presigned PUT straight to an S3-protocol store, or,
 * when the store cannot presign (filesystem), a PUT on this API; then POST /v1/imports names
 * the upload. The source is recorded by its SHA-256.
 */
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FsObjectStore } from "../../shared/platform/store-fs";
import { createHarness, type Harness } from "../support/harness";
import { type S3rver, s3rverCredentials, startS3rver } from "../support/s3rver";
import { commitAndApply, incidentsCsv, type PlanBody } from "./imports-support";

const file = incidentsCsv(300, { start: 5000 });
const sha256 = createHash("sha256").update(file).digest("hex");

async function slot(h: Harness, key: string) {
  const res = await h.request("/v1/imports/uploads", {
    key,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "incidents-2026.csv", contentType: "text/csv" }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { id: string; url: string; direct: boolean; maxBytes: number },
  };
}

const planUpload = (h: Harness, key: string, upload: string) =>
  h.request("/v1/imports", {
    key,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ kind: "incidents", format: "csv", upload }),
  });

describe("upload size limits", () => {
  it("a file over the app's body limit goes through an upload slot, not inline", async () => {
    const small = await createHarness({ MAX_BODY_BYTES: "4096" });
    try {
      expect(file.length).toBeGreaterThan(4096);
      const inline = await small.request("/v1/imports?kind=incidents", {
        key: small.tenantA.apiKey,
        method: "POST",
        headers: { "content-type": "text/csv" },
        body: file,
      });
      expect(inline.status).toBe(413);
      const { body } = await slot(small, small.tenantA.apiKey);
      const put = await small.request(body.url, { key: small.tenantA.apiKey, method: "PUT", body: file });
      expect(put.status).toBe(201);
      expect((await planUpload(small, small.tenantA.apiKey, body.id)).status).toBe(201);
    } finally {
      await small.close();
    }
  });

  it("IMPORT_MAX_BYTES caps the file: the slot states it, a larger upload is refused, a smaller one plans", async () => {
    const capped = await createHarness({ IMPORT_MAX_BYTES: "8192" });
    try {
      const key = capped.tenantA.apiKey;
      const big = incidentsCsv(200, { start: 9000 });
      expect(big.length).toBeGreaterThan(8192);
      const { body } = await slot(capped, key);
      expect(body).toMatchObject({ maxBytes: 8192 });
      const put = await capped.request(body.url, { key, method: "PUT", body: big });
      expect(put.status).toBe(413);
      expect(await put.json()).toMatchObject({ code: "payload_too_large" });
      const inline = await capped.request("/v1/imports?kind=incidents", {
        key,
        method: "POST",
        headers: { "content-type": "text/csv" },
        body: big,
      });
      expect(inline.status).toBe(413);
      expect(await inline.json()).toMatchObject({ importCode: "file_too_large", limit: 8192 });
      const small = incidentsCsv(10, { start: 9500 });
      const { body: next } = await slot(capped, key);
      expect((await capped.request(next.url, { key, method: "PUT", body: small })).status).toBe(201);
      expect((await planUpload(capped, key, next.id)).status).toBe(201);
    } finally {
      await capped.close();
    }
  });
});

describe("the PUT on this API streams the file to the store", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ IMPORT_MAX_BYTES: String(256 * 1024) });
  });
  afterAll(() => h.close());

  /** `total` bytes of CSV sent a piece at a time, with no Content-Length (chunked). */
  const streamed = (total: number) => {
    const text = new TextEncoder().encode(incidentsCsv(2_000, { start: 20_000 }));
    let sent = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= total) return controller.close();
        const piece = text.subarray(sent % text.length, Math.min(text.length, (sent % text.length) + 16_384));
        const cut = piece.subarray(0, Math.min(piece.byteLength, total - sent));
        sent += cut.byteLength;
        controller.enqueue(cut);
      },
    });
  };
  const put = (url: string, body: BodyInit, headers: Record<string, string> = {}) =>
    h.request(url, { key: h.tenantA.apiKey, method: "PUT", body, headers, duplex: "half" } as RequestInit);
  const kept = async () => {
    const listed = await h.platform.store.list({ prefix: `imports/${h.tenantA.id}/uploads/` });
    return listed.objects.map((o) => o.key);
  };

  it("refuses a body past the slot's limit with 413 and keeps nothing; the slot takes a smaller file", async () => {
    const { body } = await slot(h, h.tenantA.apiKey);
    const over = await put(body.url, streamed(256 * 1024 + 1));
    expect(over.status).toBe(413);
    expect(await over.json()).toMatchObject({ code: "payload_too_large", importCode: "file_too_large" });
    expect(await kept()).toEqual([]);
    const { root } = h.platform.store as FsObjectStore;
    expect(await readdir(join(root, "tmp")).catch(() => [])).toEqual([]);

    const declared = await put(body.url, "a,b\n", { "content-length": String(10 * 1024 * 1024) });
    expect(declared.status).toBe(413);
    expect(await kept()).toEqual([]);

    const size = 200 * 1024;
    const expected = createHash("sha256")
      .update(new Uint8Array(await new Response(streamed(size)).arrayBuffer()))
      .digest("hex");
    const ok = await put(body.url, streamed(size));
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ id: body.id, size, sha256: expected });
    expect(await kept()).toEqual([`imports/${h.tenantA.id}/uploads/${body.id}`]);
  });
});

describe("uploads on a store that cannot presign (filesystem)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it("hands out a PUT on this API, stores the file once, and plans from it", async () => {
    const { status, body } = await slot(h, h.tenantA.apiKey);
    expect(status).toBe(201);
    expect(body).toMatchObject({ direct: false, url: `/v1/imports/uploads/${body.id}` });
    expect((await planUpload(h, h.tenantA.apiKey, body.id)).status).toBe(409);
    const put = await h.request(body.url, { key: h.tenantA.apiKey, method: "PUT", body: file });
    expect(put.status).toBe(201);
    expect((await h.request(body.url, { key: h.tenantA.apiKey, method: "PUT", body: file })).status).toBe(
      409,
    );
    expect((await h.request(body.url, { key: h.tenantB.apiKey, method: "PUT", body: file })).status).toBe(
      404,
    );
    expect((await planUpload(h, h.tenantB.apiKey, body.id)).status).toBe(404);

    const planned = await planUpload(h, h.tenantA.apiKey, body.id);
    expect(planned.status).toBe(201);
    const p = (await planned.json()) as PlanBody;
    expect(p.source).toEqual({ sha256, name: "incidents-2026.csv" });
    expect(p.counts.create).toBe(300);
    expect((await commitAndApply(h, h.tenantA.apiKey, p.id)).status).toBe("completed");
  });

  it("is admin only", async () => {
    const operator = await h.tenantA.keyFor("operator");
    expect((await slot(h, operator)).status).toBe(403);
  });
});

describe("uploads on an S3-protocol store", () => {
  let s3: S3rver;
  let h: Harness;
  beforeAll(async () => {
    s3 = await startS3rver();
    await s3.createBucket("imports-test");
    h = await createHarness({
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: "imports-test",
      S3_REGION: s3rverCredentials.region,
      S3_ACCESS_KEY_ID: s3rverCredentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3rverCredentials.secretAccessKey,
    });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await s3?.close();
  });

  it("hands out a presigned PUT under the tenant's prefix; the file goes straight to the store", async () => {
    const { body } = await slot(h, h.tenantA.apiKey);
    expect(body.direct).toBe(true);
    expect(body.url).toContain(`/imports-test/imports/${h.tenantA.id}/uploads/${body.id}`);
    expect(body.url).toContain("X-Amz-Expires=900");
    const put = await fetch(body.url, { method: "PUT", body: file, headers: { "content-type": "text/csv" } });
    expect(put.status).toBe(200);
    const p = (await (await planUpload(h, h.tenantA.apiKey, body.id)).json()) as PlanBody;
    expect(p.source.sha256).toBe(sha256);
    expect((await commitAndApply(h, h.tenantA.apiKey, p.id)).status).toBe("completed");
  });
});
