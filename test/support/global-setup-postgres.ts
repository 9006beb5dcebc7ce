/** Creates one migrated template database per run; each test file gets `CREATE DATABASE … TEMPLATE` of it. */
import type { TestProject } from "vitest/node";
import { migrationsFolder } from "../../functions/platform-node";
import { createPgDatabase } from "../../shared/platform/database-pg";
import { adminQuery, databaseUrl } from "../../shared/platform/postgres-admin";

export async function setup(project: TestProject) {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("TEST_DATABASE_URL is required for the db:postgres tier");
  const template = `sb_template_${process.pid}_${Date.now()}`;
  await adminQuery(base, `create database "${template}"`);
  const db = createPgDatabase({ url: databaseUrl(base, template), max: 1 });
  await db.migrate(migrationsFolder);
  await db.shutdown();
  project.provide("postgresTemplate", template);
  return async () => adminQuery(base, `drop database if exists "${template}" with (force)`);
}
