/** `npm run admin`: what platform engineers use to create tenants and staff keys. */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../functions/app";
import { createNodePlatform } from "../../functions/platform-node";
import { loadNodeConfig } from "../../shared/platform/config";

let dataDir: string;
const admin = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/admin.ts", ...args], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" },
    encoding: "utf8",
  });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "sb-admin-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe("npm run admin", () => {
  it("creates a tenant whose admin key works, refuses the same slug twice, and issues a staff key", async () => {
    const created = admin("tenant", "initech", "Initech");
    expect(created.status).toBe(0);
    const tenant = JSON.parse(created.stdout) as { tenant: string; apiKey: string };
    expect(tenant.tenant).toBe("initech");

    const again = admin("tenant", "initech", "Initech 2");
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("already exists");

    const staff = JSON.parse(admin("staff-key", "alice").stdout) as { tenant: string; apiKey: string };
    expect(staff.tenant).toBe("switchboard");

    const platform = await createNodePlatform(loadNodeConfig({ DATA_DIR: dataDir, SEED_DEMO: "false" }), {
      logSink: () => {},
    });
    try {
      const app = createApp(platform);
      const me = await app.request("/v1/tenant", { headers: { authorization: `Bearer ${tenant.apiKey}` } });
      expect(await me.json()).toMatchObject({ tenant: { slug: "initech" }, credential: { role: "admin" } });
      const asStaff = await app.request("/v1/tenant", {
        headers: { authorization: `Bearer ${staff.apiKey}`, "x-switchboard-tenant": "initech" },
      });
      expect(await asStaff.json()).toMatchObject({
        tenant: { slug: "initech" },
        credential: { role: "pilot-ops" },
      });
    } finally {
      await platform.shutdown();
    }
  }, 120_000);

  it("explains its usage", () => {
    const res = admin("frobnicate");
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("usage: npm run admin");
  });
});
