/**
 * The wrangler-built bundle in workerd through Miniflare's own API, with the
 * queues, dead-letter queue and bindings of wrangler.toml's top level.
 */
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { Miniflare } from "miniflare";
import { inject } from "vitest";

const wranglerToml = readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8");
/** The date the bundle is deployed with, so Miniflare runs the same runtime semantics. */
export const compatibilityDate =
  /^compatibility_date\s*=\s*"([^"]+)"/m.exec(wranglerToml)?.[1] ?? "2025-09-01";

type RateLimits = Record<string, { simple: { limit: number; period: 10 | 60 } }>;

/** The top level's `[[ratelimits]]` bindings, as wrangler.toml declares them for the bundle. */
export const declaredRateLimits: RateLimits = Object.fromEntries(
  [
    ...(wranglerToml.split(/^\[env\./m)[0] ?? "").matchAll(
      /^\[\[ratelimits\]\]\s*\nname\s*=\s*"(\w+)"\s*\nnamespace_id\s*=\s*"\d+"\s*\nsimple\s*=\s*\{\s*limit\s*=\s*(\d+)\s*,\s*period\s*=\s*(10|60)\s*\}/gm,
    ),
  ].map(([, name, limit, period]) => [
    name ?? "",
    { simple: { limit: Number(limit), period: Number(period) as 10 | 60 } },
  ]),
);

export const QUEUE = "switchboard-jobs";
export const DEAD_LETTER_QUEUE = "switchboard-jobs-dlq";

export interface TestWorker {
  mf: Miniflare;
  /** Structured log lines the worker printed (JSON objects on stdout). */
  logs: Record<string, unknown>[];
  /** Everything else workerd printed, for diagnosing a failure. */
  output: string[];
  dispose(): Promise<void>;
}

export async function startWorker(
  bindings: Record<string, string>,
  options: { ratelimits?: Partial<RateLimits> } = {},
): Promise<TestWorker> {
  const logs: Record<string, unknown>[] = [];
  const output: string[] = [];
  const collect = (stream: Readable) => {
    createInterface({ input: stream }).on("line", (line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        if (parsed && typeof parsed === "object") logs.push(parsed as Record<string, unknown>);
        else output.push(line);
      } catch {
        output.push(line);
      }
    });
  };
  const mf = new Miniflare({
    scriptPath: inject("workerScript"),
    modules: true,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate,
    compatibilityFlags: ["nodejs_compat"],
    // JOBS_DLQ is test-only: it lets a test put a message straight on the dead-letter queue.
    queueProducers: { JOBS: QUEUE, JOBS_DLQ: DEAD_LETTER_QUEUE },
    queueConsumers: {
      [QUEUE]: { maxBatchTimeout: 1, maxRetries: 4, deadLetterQueue: DEAD_LETTER_QUEUE },
      [DEAD_LETTER_QUEUE]: { maxBatchTimeout: 1 },
    },
    bindings,
    // A test may lower a limit; the names are wrangler.toml's.
    ratelimits: { ...declaredRateLimits, ...options.ratelimits } as RateLimits,
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      collect(stdout);
      collect(stderr);
    },
  });
  await mf.ready;
  return { mf, logs, output, dispose: () => mf.dispose() };
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  { timeoutMs = 20_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
