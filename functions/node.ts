/** `npm start`: the API and admin pages on Node, on embedded defaults unless configured otherwise. */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { ConfigError, loadNodeConfig } from "../shared/platform/config";
import { contextFor } from "../shared/platform/platform";
import { seedDemoTenant } from "../shared/tenants/seed";
import { createApp } from "./app";
import { startCronTimer } from "./jobs/cron-timer";
import { createNodePlatform, type NodePlatform } from "./platform-node";

async function seed(platform: NodePlatform, dataDir: string, port: number) {
  const created = await seedDemoTenant({ ctx: contextFor(platform, platform.database.connect().db) });
  if (!created) return;
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, "demo-credentials.json");
  await writeFile(file, `${JSON.stringify({ tenant: created.slug, apiKey: created.apiKey }, null, 2)}\n`, {
    mode: 0o600,
  });
  console.log(
    `\nDemo tenant "${created.slug}" created. Admin API key (shown once, also in ${file}):\n\n  ${created.apiKey}\n\nTry: curl -H "Authorization: Bearer ${created.apiKey}" http://localhost:${port}/v1/tenant\n`,
  );
}

async function main() {
  let config: ReturnType<typeof loadNodeConfig>;
  try {
    config = loadNodeConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const platform = await createNodePlatform(config);
  void platform.readers.warm();
  if (config.SEED_DEMO) await seed(platform, config.DATA_DIR, config.PORT);

  const app = createApp(platform);
  const server = serve({ fetch: app.fetch, port: config.PORT }, (info) => {
    platform.logger.info("listening", {
      url: `http://localhost:${info.port}`,
      database: platform.database.driver,
      dataDir: config.DATA_DIR,
    });
  });
  const cron = startCronTimer(platform, config.CRON_INTERVAL_SECONDS * 1000);

  const stop = async () => {
    cron.stop();
    server.close();
    await platform.shutdown();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

await main();
