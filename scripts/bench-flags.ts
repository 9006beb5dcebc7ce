/**
 * `npm run bench:flags`: bulk OFREP evaluation of 50 flags for one context, requests/s, against
 * a do-nothing route behind the same middleware (authentication, database), in the same process
 * with the same client (`app.request`). The flag set comes from the process cache. Embedded
 * PGlite in a temporary folder. Prints figures; asserts nothing.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../functions/app";
import { createNodePlatform } from "../functions/platform-node";
import { applyFlagChange } from "../shared/flags/flag-changes";
import { loadNodeConfig } from "../shared/platform/config";
import { contextFor } from "../shared/platform/platform";
import { createTenantWithAdminKey } from "../shared/tenants/seed";
import { ensureStaffTenant } from "../shared/tenants/tenant-admin";

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const dataDir = await mkdtemp(join(tmpdir(), "sb-bench-flags-"));
const config = loadNodeConfig({
  DATA_DIR: dataDir,
  SEED_DEMO: "false",
  LOG_LEVEL: "error",
  RATE_LIMIT_PER_MINUTE: "1000000",
});
const platform = await createNodePlatform(config);
try {
  const app = createApp(platform);
  app.post("/ofrep/v1/noop", (c) => c.json({}));
  const ctx = contextFor(platform, platform.database.connect().db);
  const tenant = await createTenantWithAdminKey({ ctx, input: { slug: "bench", name: "Bench" } });
  const staff = await ensureStaffTenant({ ctx });
  const staffCtx = {
    ...ctx,
    tenant: { id: staff.id, slug: staff.slug, name: staff.name },
    actor: { type: "system" as const, id: "bench", role: "flag-admin" as const },
  };
  for (let i = 0; i < 50; i++) {
    await applyFlagChange(staffCtx, {
      key: `flag-${i}`,
      change: "created",
      build: () => ({
        description: "",
        type: "boolean",
        variants: { on: true, off: false },
        defaultVariant: "off",
        killSwitch: false,
        rollout: { percentage: i * 2, stickiness: "tenant", variants: [{ name: "on", weight: 1 }] },
        tenantOverrides: {},
        operatorOverrides: {},
      }),
    });
  }
  const init = {
    method: "POST",
    headers: { authorization: `Bearer ${tenant.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ context: { targetingKey: "op_bench" } }),
  };
  const measure = async (path: string) => {
    for (let i = 0; i < 50; i++) await app.request(path, init);
    let n = 0;
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      const res = await app.request(path, init);
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      await res.arrayBuffer();
      n++;
    }
    return n / ((performance.now() - started) / 1000);
  };
  const noop = await measure("/ofrep/v1/noop");
  const bulk = await measure("/ofrep/v1/evaluate/flags");
  console.log(
    JSON.stringify(
      {
        flags: 50,
        seconds,
        noopPerSecond: Math.round(noop),
        bulkPerSecond: Math.round(bulk),
        ratio: Number((bulk / noop).toFixed(3)),
        target: 0.5,
      },
      null,
      2,
    ),
  );
} finally {
  await platform.shutdown();
  await rm(dataDir, { recursive: true, force: true });
}
