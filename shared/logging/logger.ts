export type LogLevel = "debug" | "info" | "warn" | "error";

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger whose every line also carries `fields` (request id, trace id, tenant). */
  child(fields: Record<string, unknown>): Logger;
}

export type LogSink = (line: Record<string, unknown>) => void;

export const consoleSink: LogSink = (line) => console.log(JSON.stringify(line));

/** Structured JSON logs: one object per line, `time`, `level`, `msg` and the bound fields. */
export function createLogger(options: {
  level?: LogLevel;
  sink?: LogSink;
  now?: () => Date;
  fields?: Record<string, unknown>;
}): Logger {
  const minimum = rank[options.level ?? "info"];
  const sink = options.sink ?? consoleSink;
  const now = options.now ?? (() => new Date());
  const bound = options.fields ?? {};
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (rank[level] < minimum) return;
    sink({ time: now().toISOString(), level, msg, ...bound, ...fields });
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (fields) => createLogger({ ...options, fields: { ...bound, ...fields } }),
  };
}
