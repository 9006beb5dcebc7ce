/**
 * A real Postgres ends a pooled connection (a restart, an administrator's terminate): the
 * pool reports it to `onError` and carries on; nothing is thrown out of the process.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgDatabase, type PgDatabase } from "../../shared/platform/database-pg";
import { adminQuery, databaseUrl } from "../../shared/platform/postgres-admin";

const base = process.env.TEST_DATABASE_URL ?? "";
const name = `sb_pool_${process.pid}`;
let database: PgDatabase;
const errors: Error[] = [];

beforeAll(async () => {
  await adminQuery(base, `create database "${name}"`);
  database = createPgDatabase({ url: databaseUrl(base, name), max: 2, onError: (e) => errors.push(e) });
});
afterAll(async () => {
  await database.shutdown();
  await adminQuery(base, `drop database if exists "${name}" with (force)`);
});

describe("Postgres pool", () => {
  it("survives the server ending an idle connection, and the next query reconnects", async () => {
    const first = await database.pool.query("select pg_backend_pid() as pid");
    const pid = Number(first.rows[0]?.pid);
    await adminQuery(base, `select pg_terminate_backend(${pid})`);
    for (let i = 0; i < 50 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(errors.map((e) => (e as Error & { code?: string }).code)).toEqual(["57P01"]);
    const next = await database.pool.query("select pg_backend_pid() as pid");
    expect(Number(next.rows[0]?.pid)).not.toBe(pid);
  });
});
