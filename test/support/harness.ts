/**
 * The app on a real database with two seeded tenants, driven through
 * `app.request()`: the same stack `npm start` serves, minus the socket.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../functions/app";
import { createNodePlatform, type NodePlatform } from "../../functions/platform-node";
import type { Role } from "../../shared/db/schema";
import { loadNodeConfig } from "../../shared/platform/config";
import { contextFor } from "../../shared/platform/platform";
import { createApiKey } from "../../shared/tenants/api-keys";
import { createTenantWithAdminKey } from "../../shared/tenants/seed";
import { createTestDatabase } from "./test-database";

export interface SeededTenant {
  id: string;
  slug: string;
  /** Admin key. */
  apiKey: string;
  keyFor(role: Role): Promise<string>;
}

export async function createHarness(env: Record<string, string> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), "sb-test-"));
  const logs: Record<string, unknown>[] = [];
  const database = await createTestDatabase();
  const config = loadNodeConfig({ DATA_DIR: dataDir, SEED_DEMO: "false", LOG_LEVEL: "debug", ...env });
  const platform: NodePlatform = await createNodePlatform(config, {
    database,
    logSink: (line) => logs.push(line),
  });
  const app = createApp(platform);
  const ctx = () => contextFor(platform, database.connect().db);

  const seedTenant = async (slug: string): Promise<SeededTenant> => {
    const created = await createTenantWithAdminKey({ ctx: ctx(), input: { slug, name: `${slug} Inc.` } });
    return {
      id: created.tenantId,
      slug,
      apiKey: created.apiKey,
      keyFor: async (role) =>
        (await createApiKey({ ctx: ctx(), input: { tenantId: created.tenantId, name: `${role} key`, role } }))
          .secret,
    };
  };
  const tenantA = await seedTenant("acme");
  const tenantB = await seedTenant("globex");

  const request = (path: string, init: RequestInit & { key?: string } = {}) => {
    const { key, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (key) headers.set("authorization", `Bearer ${key}`);
    return app.request(path, { ...rest, headers });
  };

  return {
    app,
    platform,
    database,
    ctx,
    logs,
    tenantA,
    tenantB,
    request,
    async close() {
      await platform.shutdown();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;
