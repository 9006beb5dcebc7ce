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
import type { Clock } from "../../shared/platform/ports";
import { createApiKey } from "../../shared/tenants/api-keys";
import { createTenantWithAdminKey } from "../../shared/tenants/seed";
import { startDohServer } from "./doh-server";
import { createTestDatabase } from "./test-database";

export interface SeededTenant {
  id: string;
  slug: string;
  /** Admin key. */
  apiKey: string;
  keyFor(role: Role): Promise<string>;
}

export async function createHarness(
  env: Record<string, string> = {},
  options: { clock?: Clock; startQueue?: boolean } = {},
) {
  const dataDir = await mkdtemp(join(tmpdir(), "sb-test-"));
  const logs: Record<string, unknown>[] = [];
  const database = await createTestDatabase();
  const dns = await startDohServer();
  const config = loadNodeConfig({
    DATA_DIR: dataDir,
    SEED_DEMO: "false",
    LOG_LEVEL: "debug",
    DOH_URL: dns.url,
    // Every request here comes from one address: the matrices refuse many tokens on purpose.
    AUTH_FAILURES_PER_MINUTE: "1000000",
    ...env,
  });
  const platform: NodePlatform = await createNodePlatform(config, {
    database,
    logSink: (line) => logs.push(line),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.startQueue === false ? { startQueue: false } : {}),
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

  /** Adds a white-label domain for a tenant and proves it through the loopback DNS: verified. */
  const verifiedDomain = async (
    key: string,
    body: { host: string; displayName: string } & Record<string, unknown>,
  ) => {
    const json = { "content-type": "application/json" };
    const added = await request("/v1/domains", {
      method: "POST",
      key,
      headers: json,
      body: JSON.stringify(body),
    });
    if (added.status !== 201) throw new Error(`adding ${body.host}: ${added.status} ${await added.text()}`);
    const { verification } = (await added.json()) as { verification: { name: string; value: string } };
    dns.setTxt(verification.name, [verification.value]);
    const verified = await request(`/v1/domains/${body.host}/verify`, { method: "POST", key });
    if (verified.status !== 200)
      throw new Error(`verifying ${body.host}: ${verified.status} ${await verified.text()}`);
    return verified.json() as Promise<Record<string, unknown>>;
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
    dns,
    verifiedDomain,
    async close() {
      await dns.close();
      await platform.shutdown();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;
