import { defineConfig } from "vitest/config";

/**
 * Test tiers. Unit, node-server and PGlite tiers always run; the Postgres, faults (the built
 * server with its connections cut through proxies) and workers tiers run when
 * TEST_DATABASE_URL names a Postgres server (CI always sets it).
 */
const postgres = process.env.TEST_DATABASE_URL;

/** Projects do not inherit the root's timeouts; every tier gets these unless it sets its own. */
const timeouts = { testTimeout: 30_000, hookTimeout: 120_000 };

const tiers = [
  {
    test: {
      ...timeouts,
      name: "unit",
      include: ["test/unit/**/*.test.ts", "test/store/**/*.test.ts", "test/cli/**/*.test.ts"],
    },
  },
  {
    test: {
      ...timeouts,
      name: "node-server",
      include: ["test/node/**/*.test.ts"],
    },
  },
  {
    test: {
      ...timeouts,
      name: "db:pglite",
      include: ["test/db/**/*.test.ts"],
      globalSetup: ["test/support/global-setup-pglite.ts"],
      env: { TEST_DB: "pglite" },
    },
  },
  ...(postgres
    ? [
        {
          test: {
            ...timeouts,
            name: "db:postgres",
            include: ["test/db/**/*.test.ts", "test/postgres/**/*.test.ts"],
            globalSetup: ["test/support/global-setup-postgres.ts"],
            env: { TEST_DB: "postgres" },
          },
        },
        {
          test: {
            ...timeouts,
            testTimeout: 180_000,
            name: "faults",
            include: ["test/faults/**/*.test.ts"],
            globalSetup: ["test/support/global-setup-faults.ts"],
            // Each file runs the built server, an S3 server and proxies: one file at a time.
            fileParallelism: false,
          },
        },
        {
          test: {
            name: "workers",
            include: ["test/workers/**/*.test.ts"],
            globalSetup: ["test/support/global-setup-workers.ts"],
            ...timeouts,
            testTimeout: 60_000,
          },
        },
      ]
    : []),
];

if (!process.env.VITEST_WORKER_ID) {
  console.log(
    `Test tiers: ${tiers.map((t) => t.test.name).join(", ")}${postgres ? "" : " (set TEST_DATABASE_URL to add db:postgres, faults and workers)"}`,
  );
}

export default defineConfig({
  test: {
    projects: tiers,
  },
});
