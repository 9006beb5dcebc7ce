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

  it("suspends a tenant, whose key is then refused, and reactivates it; both leave receipts", async () => {
    const tenant = JSON.parse(admin("tenant", "hooli", "Hooli").stdout) as { apiKey: string };
    const suspended = admin("suspend", "hooli", "unpaid invoice");
    expect(suspended.status).toBe(0);
    expect(JSON.parse(suspended.stdout)).toMatchObject({
      tenant: "hooli",
      status: "suspended",
      changed: true,
    });
    expect(JSON.parse(admin("suspend", "hooli").stdout)).toMatchObject({ changed: false });
    expect(admin("suspend", "nobody").stderr).toContain("No tenant with the slug nobody");

    const platform = await createNodePlatform(loadNodeConfig({ DATA_DIR: dataDir, SEED_DEMO: "false" }), {
      logSink: () => {},
    });
    const app = createApp(platform);
    const me = () => app.request("/v1/tenant", { headers: { authorization: `Bearer ${tenant.apiKey}` } });
    try {
      const refused = await me();
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ code: "tenant_suspended" });
    } finally {
      await platform.shutdown();
    }

    expect(JSON.parse(admin("reactivate", "hooli").stdout)).toMatchObject({
      status: "active",
      changed: true,
    });
    const again = await createNodePlatform(loadNodeConfig({ DATA_DIR: dataDir, SEED_DEMO: "false" }), {
      logSink: () => {},
    });
    try {
      const app2 = createApp(again);
      const headers = { authorization: `Bearer ${tenant.apiKey}` };
      expect((await app2.request("/v1/tenant", { headers })).status).toBe(200);
      const timeline = (await (await app2.request("/v1/timeline", { headers })).json()) as {
        items: { kind: string; actor: string }[];
      };
      expect(timeline.items.map((r) => r.kind)).toEqual(
        expect.arrayContaining(["tenant.suspended", "tenant.reactivated"]),
      );
      expect(timeline.items.find((r) => r.kind === "tenant.suspended")?.actor).toBe("system:platform");
    } finally {
      await again.shutdown();
    }
  }, 120_000);

  it("explains its usage", () => {
    const res = admin("frobnicate");
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("usage: npm run admin");
  });
});
