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
      // A server that does not answer fails the request (503 unavailable) instead of holding it.
      const pool = new Pool({ connectionString: options.url, connectionTimeoutMillis: 10_000 });
      // A connection dropped by the server, idle or checked out by a transaction, must not throw
      // out of the request as an unhandled 'error' event: its query fails, and the pool discards it.
      pool.on("error", () => {});
      pool.on("connect", (client: { on(event: "error", listener: () => void): unknown }) => {
        client.on("error", () => {});
      });
      return {
        db: drizzle({ client: pool, schema }) as unknown as Database,
        close: () => pool.end(),
      };
    },
  };
}
