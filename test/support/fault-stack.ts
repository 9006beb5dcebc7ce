/**
 * The faults tier's stack: the built server as a real process, reaching its own Postgres
 * database and a real S3 server each through a TCP proxy the test can cut. Counts are read
 * straight from the database, never through the proxy.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { adminQuery, databaseUrl } from "../../shared/platform/postgres-admin";
import { type S3rver, s3rverCredentials, startS3rver } from "./s3rver";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy";

/** No request may take longer than this, outage or not. */
export const requestTimeoutMs = 20_000;
const bucket = "faults";

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

export interface ServerProcess {
  child: ChildProcess;
  /** Resolves with the exit code or signal when the process ends. */
  exited: Promise<number | string | null>;
  output(): string;
  alive(): boolean;
}

export interface FaultStack {
  base: string;
  apiKey: string;
  /** Proxies in front of Postgres and the S3 server. */
  pg: TcpProxy;
  s3: TcpProxy;
  /** The app's database, straight (not through the proxy). */
  direct: pg.Pool;
  databaseName: string;
  server: ServerProcess;
  /** A request to the server with the demo admin key; fails the test if it takes longer than `requestTimeoutMs`. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** SIGKILLs the server and starts it again on the same database, store, data folder and port. */
  killAndRestart(): Promise<void>;
  close(): Promise<void>;
}

function spawnServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ["--enable-source-maps", inject("faultsServer")], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<number | string | null>((resolve) =>
    child.on("exit", (code, signal) => resolve(signal ?? code)),
  );
  return {
    child,
    exited,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
  };
}

async function waitUntilServing(base: string, server: ServerProcess) {
  for (let i = 0; i < 300; i++) {
    if (!server.alive()) throw new Error(`server exited: ${server.output()}`);
    const res = await fetch(`${base}/readyz`).catch(() => null);
    if (res?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become ready: ${server.output()}`);
}

export async function startFaultStack(settings: Record<string, string> = {}): Promise<FaultStack> {
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) throw new Error("TEST_DATABASE_URL is required for the faults tier");
  const databaseName = `sb_faults_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(baseUrl, `create database "${databaseName}" template "${inject("postgresTemplate")}"`);
  const directUrl = databaseUrl(baseUrl, databaseName);
  const target = new URL(directUrl);
  const pgProxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const proxiedUrl = new URL(directUrl);
  proxiedUrl.hostname = "127.0.0.1";
  proxiedUrl.port = String(pgProxy.port);

  const s3rver: S3rver = await startS3rver();
  await s3rver.createBucket(bucket);
  const s3Proxy = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(s3rver.endpoint).port) });

  const dataDir = await mkdtemp(join(tmpdir(), "sb-faults-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: proxiedUrl.toString(),
    SEED_DEMO: "true",
    S3_ENDPOINT: `http://127.0.0.1:${s3Proxy.port}`,
    S3_BUCKET: bucket,
    S3_REGION: s3rverCredentials.region,
    S3_ACCESS_KEY_ID: s3rverCredentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3rverCredentials.secretAccessKey,
    LOG_LEVEL: "warn",
    CRON_INTERVAL_SECONDS: "2",
    QUEUE_LEASE_SECONDS: "5",
    RATE_LIMIT_PER_MINUTE: "100000",
    ...settings,
  };
  let server = spawnServer(env);
  await waitUntilServing(base, server);
  const credentials = JSON.parse(await readFile(join(dataDir, "demo-credentials.json"), "utf8")) as {
    apiKey: string;
  };
  const direct = new pg.Pool({ connectionString: directUrl, max: 2 });
  direct.on("error", () => {});

  const stack: FaultStack = {
    base,
    apiKey: credentials.apiKey,
    pg: pgProxy,
    s3: s3Proxy,
    direct,
    databaseName,
    get server() {
      return server;
    },
    async api(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${credentials.apiKey}`);
      const started = Date.now();
      try {
        return await fetch(`${base}${path}`, {
          ...init,
          headers,
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
      } catch (error) {
        throw new Error(
          `${init.method ?? "GET"} ${path} failed after ${Date.now() - started} ms: ${String(error)}; server ${server.alive() ? "alive" : `exited:\n${server.output()}`}`,
        );
      }
    },
    async killAndRestart() {
      server.child.kill("SIGKILL");
      await server.exited;
      server = spawnServer(env);
      await waitUntilServing(base, server);
    },
    async close() {
      if (server.alive()) {
        server.child.kill("SIGTERM");
        await Promise.race([server.exited, new Promise((r) => setTimeout(r, 5000))]);
        if (server.alive()) server.child.kill("SIGKILL");
      }
      await direct.end();
      await pgProxy.close();
      await s3Proxy.close();
      await s3rver.close();
      await rm(dataDir, { recursive: true, force: true });
      await adminQuery(baseUrl, `drop database if exists "${databaseName}" with (force)`);
    },
  };
  return stack;
}
