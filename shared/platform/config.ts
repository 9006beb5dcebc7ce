/**
 * The one place settings are read. Entry points pass their environment
 * (process.env on Node, the bindings on Workers); a missing or malformed
 * setting stops start-up with a ConfigError naming it.
 */
import { z } from "zod";

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no"], { message: "expected true or false" })
    .optional()
    .transform((v) => (v === undefined ? fallback : ["true", "1", "yes"].includes(v)));

/** A boolean whose default depends on other settings (resolved after parsing). */
const optionalBool = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "expected true or false" })
  .optional()
  .transform((v) => (v === undefined ? undefined : ["true", "1", "yes"].includes(v)));

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `expected an integer from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/.+/, { message: "expected a postgres:// or postgresql:// URL" });

const common = {
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  MAX_BODY_BYTES: int(5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
  TELEMETRY_EVENTS_RETENTION_DAYS: int(30, 1, 3650),
  TELEMETRY_ROLLUPS_RETENTION_DAYS: int(400, 1, 3650),
  IMPORT_MAX_BYTES: int(50 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024),
  PUBLIC_BASE_URL: z.url({ message: "expected an absolute URL" }).optional(),
  /** DNS-over-HTTPS resolver (JSON API) that checks white-label domains' TXT challenges. */
  DOH_URL: z
    .url({ protocol: /^https?$/, message: "expected an http(s) URL" })
    .default("https://cloudflare-dns.com/dns-query"),
  /** More hosts no tenant may claim (comma-separated; each covers its subdomains too). */
  RESERVED_HOSTS: z.string().optional(),
  SIGNING_KEYS: z.string().optional(),
  DATABASE_URL: postgresUrl.optional(),
  NEON_WS_PROXY: z.string().optional(),
  S3_ENDPOINT: z.url({ message: "expected an absolute URL" }).optional(),
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default("auto"),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool(true),
  /** Lets outbound requests (executors, IdP key sets) reach loopback: development and tests only. */
  OUTBOUND_ALLOW_LOOPBACK: bool(false),
};

const nodeSchema = z.object({
  ...common,
  PORT: int(8787, 1, 65535),
  DATA_DIR: z.string().min(1).default("./.data"),
  /** Defaults to on only for the embedded database: a server on DATABASE_URL never mints a demo admin key unasked. */
  SEED_DEMO: optionalBool,
  /** Requests per minute per credential (on Workers the RATE_LIMITER binding's `simple.limit` decides). */
  RATE_LIMIT_PER_MINUTE: int(600, 1, 1_000_000),
  /** Failed authentications per minute per client address (Workers: the AUTH_FAILURE_LIMITER binding). */
  AUTH_FAILURES_PER_MINUTE: int(30, 1, 1_000_000),
  CRON_INTERVAL_SECONDS: int(60, 1, 86_400),
  IMPORT_READER_THREADS: int(1, 0, 64),
  /** How long a job taken by the in-process queue is held; a process that dies mid-job frees it after this. */
  QUEUE_LEASE_SECONDS: int(60, 5, 3600),
});

const workerSchema = z.object({
  ...common,
  DATABASE_URL: postgresUrl,
  SIGNING_KEYS: z.string().min(1),
  S3_ENDPOINT: z.url({ message: "expected an absolute URL" }),
  S3_BUCKET: z.string().min(1),
  S3_ACCESS_KEY_ID: z.string().min(1),
  S3_SECRET_ACCESS_KEY: z.string().min(1),
});

export type NodeConfig = Omit<z.infer<typeof nodeSchema>, "SEED_DEMO"> & { SEED_DEMO: boolean };
export type WorkerConfig = z.infer<typeof workerSchema>;
export type Config = NodeConfig | WorkerConfig;

export class ConfigError extends Error {
  readonly settings: string[];
  constructor(problems: { setting: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p.setting}: ${p.message}`).join("\n")}`);
    this.name = "ConfigError";
    this.settings = problems.map((p) => p.setting);
  }
}

type Env = Record<string, unknown>;

function parse<T extends z.ZodType>(schema: T, env: Env): z.infer<T> {
  const result = schema.safeParse(setOnly(env));
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      setting: String(issue.path[0] ?? "(root)"),
      message: issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message,
    })),
  );
}

function checkS3Group(config: Config): void {
  const group = ["S3_ENDPOINT", "S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const;
  const set = group.filter((k) => config[k] !== undefined);
  if (set.length > 0 && set.length < group.length) {
    throw new ConfigError(
      group
        .filter((k) => config[k] === undefined)
        .map((k) => ({ setting: k, message: `is required when ${set.join(", ")} is set` })),
    );
  }
}

/** Settings for the Node server (embedded defaults: PGlite and files under DATA_DIR). */
export function loadNodeConfig(env: Env): NodeConfig {
  const parsed = parse(nodeSchema, env);
  const config: NodeConfig = { ...parsed, SEED_DEMO: parsed.SEED_DEMO ?? parsed.DATABASE_URL === undefined };
  checkS3Group(config);
  return config;
}

/** Settings for the Worker: Postgres, S3-compatible store and signing keys are required. */
export function loadWorkerConfig(env: Env): WorkerConfig {
  return parse(workerSchema, stringsOnly(env));
}

/** Bindings mix strings with objects (queues); config only reads the strings. */
function stringsOnly(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === "string"));
}

/** `NAME=` (empty) means unset, as in shells and .env files. */
function setOnly(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "" && v !== undefined));
}
