/**
 * Postgres on Workers through the Neon serverless driver (Pool over WebSocket,
 * which supports transactions). A Pool lives for one request or batch: Workers
 * must not share a connection across requests.
 */
import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import type { Database } from "../db/client";
import * as schema from "../db/schema";
import type { DatabasePort } from "./ports";

export interface NeonOptions {
  url: string;
  /**
   * For local development and tests: `host:port` of a WebSocket→TCP proxy in
   * front of a plain Postgres, reached without TLS (as Neon documents for local use).
   */
  wsProxy?: string;
}

export function createNeonDatabase(options: NeonOptions): DatabasePort {
  if (options.wsProxy) {
    const proxy = options.wsProxy;
    neonConfig.wsProxy = (host, port) => `${proxy}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  return {
    driver: "neon",
    connect: () => {
      const pool = new Pool({ connectionString: options.url });
      // An idle connection dropped by the server must not throw out of the request; the pool discards it.
      pool.on("error", () => {});
      return {
        db: drizzle({ client: pool, schema }) as unknown as Database,
        close: () => pool.end(),
      };
    },
  };
}
