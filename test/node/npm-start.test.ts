/** `npm start` as a user runs it: a real process, a real port, embedded defaults, nothing else running. */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildNode } from "../../scripts/build-node";

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

const fromSource = ["--import", "tsx", "functions/node.ts"];

function start(env: Record<string, string>, command = fromSource) {
  const child = spawn(process.execPath, command, {
    env: { ...process.env, ...env, DATABASE_URL: "", S3_ENDPOINT: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { child, exited, output: () => output };
}

async function waitFor(url: string, proc: ReturnType<typeof start>) {
  for (let i = 0; i < 450; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {}
    if (proc.child.exitCode !== null) throw new Error(`server exited: ${proc.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not start: ${proc.output()}`);
}

/**
 * A file over the reader thread's 4 MiB threshold, dry-run through the demo admin key. The
 * thread's script comes from the build beside a built server: without it the dry run fails.
 */
async function expectLargeDryRun(base: string, dataDir: string) {
  const credentials = JSON.parse(await readFile(join(dataDir, "demo-credentials.json"), "utf8"));
  const note = "x".repeat(160);
  const lines = ["id,title,description,status,urgency,created_on"];
  for (let i = 0; i < 22_000; i++)
    lines.push(`inc-${i},Disk full ${i},${note},resolved,low,2026-01-01T00:00:00Z`);
  lines.push("inc-7,Again,,resolved,low,2026-01-01T00:00:00Z");
  const body = `${lines.join("\n")}\n`;
  expect(body.length).toBeGreaterThan(4 * 1024 * 1024);
  const res = await fetch(`${base}/v1/imports?kind=incidents`, {
    method: "POST",
    headers: { authorization: `Bearer ${credentials.apiKey}`, "content-type": "text/csv" },
    body,
  });
  const planned = (await res.json()) as { counts: Record<string, number> };
  expect(res.status, JSON.stringify(planned)).toBe(201);
  expect(planned.counts).toMatchObject({ total: 22_001, create: 22_000, reject: 1 });
}

const uploadBytes = 200 * 1024 * 1024;

/** The process's resident set now (VmRSS) and at its peak (VmHWM), in bytes. */
function rss(pid: number | undefined): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => {
    const value = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1];
    if (value === undefined) throw new Error(`no ${field} for process ${pid}`);
    return Number(value) * 1024;
  };
  return { now: kb("VmRSS"), peak: kb("VmHWM") };
}

/** Starts the peak (VmHWM) again from the resident set now, so it measures what follows. */
function resetPeakRss(pid: number | undefined): void {
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
}

/** `total` bytes of incident rows, made a megabyte at a time as they are sent, and their SHA-256. */
function generatedFile(total: number) {
  const rows: string[] = ["id,title,description,status,urgency,created_on"];
  for (let i = 0; rows.join("\n").length < 1024 * 1024; i++) {
    rows.push(`inc-${i},Disk full ${i},${"x".repeat(120)},resolved,low,2026-01-01T00:00:00Z`);
  }
  const block = new TextEncoder().encode(`${rows.join("\n")}\n`);
  const hash = createHash("sha256");
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const piece = block.slice(0, Math.min(block.byteLength, total - sent));
      hash.update(piece);
      sent += piece.byteLength;
      controller.enqueue(piece);
    },
  });
  return { stream, sha256: () => hash.digest("hex") };
}

/** A PUT of a streamed body on a connection of its own (chunked, no Content-Length). */
function putStream(url: string, headers: Record<string, string>, body: ReadableStream<Uint8Array>) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpRequest(url, { method: "PUT", headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => {
        text += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>).pipe(req);
  });
}

const stop = async (proc: ReturnType<typeof start>) => {
  proc.child.kill("SIGTERM");
  await proc.exited;
};

let dataDir: string;
let base: string;
let server: ReturnType<typeof start>;
let port: number;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "sb-start-"));
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = start({ PORT: String(port), DATA_DIR: dataDir });
  await waitFor(`${base}/healthz`, server);
}, 120_000);

afterAll(async () => {
  if (server.child.exitCode === null) await stop(server);
  await rm(dataDir, { recursive: true, force: true });
});

describe("npm start on embedded defaults", () => {
  it("serves health, readiness, the reference page and the OpenAPI document", async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: "ok", runtime: "node" });
    expect(((await (await fetch(`${base}/readyz`)).json()) as { status: string }).status).toBe("ready");
    const docs = await fetch(`${base}/docs`);
    expect(docs.headers.get("content-type")).toContain("text/html");
    expect(await docs.text()).toContain("/v1/self-tests");
    expect(((await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string }).openapi).toBe(
      "3.1.0",
    );
    expect(await (await fetch(`${base}/admin`)).text()).toContain("Sign in");
  });

  it("seeds a demo tenant, prints its admin key once and writes it to demo-credentials.json", async () => {
    const credentials = JSON.parse(await readFile(join(dataDir, "demo-credentials.json"), "utf8"));
    expect(credentials.tenant).toBe("demo");
    expect(server.output()).toContain(credentials.apiKey);
    const me = await fetch(`${base}/v1/tenant`, {
      headers: { authorization: `Bearer ${credentials.apiKey}` },
    });
    expect(await me.json()).toMatchObject({ tenant: { slug: "demo" }, credential: { role: "admin" } });
  });

  it("keeps its data across a restart and does not seed twice", async () => {
    const credentials = JSON.parse(await readFile(join(dataDir, "demo-credentials.json"), "utf8"));
    await stop(server);
    server = start({ PORT: String(port), DATA_DIR: dataDir });
    await waitFor(`${base}/healthz`, server);
    expect(server.output()).not.toContain("Demo tenant");
    const me = await fetch(`${base}/v1/tenant`, {
      headers: { authorization: `Bearer ${credentials.apiKey}` },
    });
    expect(me.status).toBe(200);
  }, 120_000);

  it("dry-runs a 4.5 MB incidents file, read in a reader thread beside the request", async () => {
    await expectLargeDryRun(base, dataDir);
  }, 120_000);

  it("stops at start-up on bad configuration, naming the setting", async () => {
    const bad = start({ PORT: "99999", DATA_DIR: dataDir });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain("PORT: expected an integer from 1 to 65535");
  }, 30_000);
});

describe("npm run build:node, then npm run start:built", () => {
  let builtDir: string;
  let builtBase: string;
  let built: ReturnType<typeof start>;

  beforeAll(async () => {
    await buildNode({ server: "functions/node.ts" });
    builtDir = await mkdtemp(join(tmpdir(), "sb-built-"));
    const builtPort = await freePort();
    builtBase = `http://127.0.0.1:${builtPort}`;
    built = start(
      { PORT: String(builtPort), DATA_DIR: builtDir, IMPORT_MAX_BYTES: String(uploadBytes * 2) },
      ["dist/server.mjs"],
    );
    await waitFor(`${builtBase}/healthz`, built);
  }, 120_000);

  afterAll(async () => {
    if (built.child.exitCode === null) await stop(built);
    await rm(builtDir, { recursive: true, force: true });
  });

  it("serves the API and the admin pages from the built server, seeded like npm start", async () => {
    expect(await (await fetch(`${builtBase}/healthz`)).json()).toEqual({ status: "ok", runtime: "node" });
    expect(((await (await fetch(`${builtBase}/readyz`)).json()) as { status: string }).status).toBe("ready");
    expect(await (await fetch(`${builtBase}/admin`)).text()).toContain("Sign in");
  });

  it("dry-runs a large file in the reader thread built beside it", async () => {
    await expectLargeDryRun(builtBase, builtDir);
  }, 120_000);

  it("streams a 200 MB upload to the store: the server's peak memory stays far below the file's size", async () => {
    const credentials = JSON.parse(await readFile(join(builtDir, "demo-credentials.json"), "utf8"));
    const auth = { authorization: `Bearer ${credentials.apiKey}` };
    const slot = (await (
      await fetch(`${builtBase}/v1/imports/uploads`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ name: "big.csv", contentType: "text/csv" }),
      })
    ).json()) as { url: string; direct: boolean };
    expect(slot.direct).toBe(false);
    resetPeakRss(built.child.pid);
    const before = rss(built.child.pid).now;
    const file = generatedFile(uploadBytes);
    const res = await putStream(
      `${builtBase}${slot.url}`,
      { ...auth, "content-type": "text/csv" },
      file.stream,
    );
    expect(res.status, res.text).toBe(201);
    expect(JSON.parse(res.text)).toMatchObject({ size: uploadBytes, sha256: file.sha256() });
    const after = rss(built.child.pid).peak;
    // The whole body in memory would add at least its 200 MB; streamed, a few pieces of it.
    expect(after - before, `RSS ${before} at rest, ${after} at the upload's peak`).toBeLessThan(
      48 * 1024 * 1024,
    );
  }, 180_000);
});
