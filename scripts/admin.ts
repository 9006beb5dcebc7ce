/**
 * Platform-engineer commands that no tenant API may perform:
 *   npm run admin -- tenant <slug> "<name>"   create a tenant and print its first admin key
 *   npm run admin -- staff-key <name>         issue a pilot-ops key for Switchboard staff
 *   npm run admin -- flag-admin-key <name>    issue a flag-admin key (changes the platform's feature flags)
 *   npm run admin -- suspend <slug> ["<reason>"]   refuse the tenant's credentials (403 tenant_suspended)
 *   npm run admin -- reactivate <slug>        accept them again
 * Uses DATABASE_URL when set, else the embedded database in DATA_DIR (stop `npm start` first:
 * an embedded database has one process at a time).
 */
import { join } from "node:path";
import { migrationsFolder } from "../functions/platform-node";
import { systemClock } from "../shared/platform/clock";
import { ConfigError, loadNodeConfig } from "../shared/platform/config";
import { createPgDatabase } from "../shared/platform/database-pg";
import { createPgliteDatabase } from "../shared/platform/database-pglite";
import { createTenantWithAdminKey } from "../shared/tenants/seed";
import { issueFlagAdminKey, issuePilotOpsKey } from "../shared/tenants/tenant-admin";
import { setTenantStatus } from "../shared/tenants/tenant-status";

const usage = `usage: npm run admin -- tenant <slug> "<name>" | staff-key <name> | flag-admin-key <name> | suspend <slug> ["<reason>"] | reactivate <slug>`;
const [command, ...args] = process.argv.slice(2);
if (!command || !["tenant", "staff-key", "flag-admin-key", "suspend", "reactivate"].includes(command)) {
  console.error(usage);
  process.exit(2);
}

let config: ReturnType<typeof loadNodeConfig>;
try {
  config = loadNodeConfig(process.env);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : String(error));
  process.exit(1);
}
const database = config.DATABASE_URL
  ? createPgDatabase({ url: config.DATABASE_URL, max: 1 })
  : await createPgliteDatabase({ dataDir: join(config.DATA_DIR, "pglite") });
await database.migrate(migrationsFolder);
const ctx = { db: database.connect().db, clock: systemClock };

try {
  if (command === "tenant") {
    const [slug, name] = args;
    if (!slug || !/^[a-z0-9][a-z0-9-]{1,62}$/.test(slug) || !name) throw new Error(usage);
    const created = await createTenantWithAdminKey({ ctx, input: { slug, name } });
    console.log(
      JSON.stringify({ tenant: created.slug, tenantId: created.tenantId, apiKey: created.apiKey }, null, 2),
    );
  } else if (command === "suspend" || command === "reactivate") {
    const [slug, reason] = args;
    if (!slug) throw new Error(usage);
    const status = command === "suspend" ? "suspended" : "active";
    const { tenant, changed, receiptId } = await setTenantStatus({ ctx, input: { slug, status, reason } });
    console.log(JSON.stringify({ tenant: tenant.slug, status: tenant.status, changed, receiptId }, null, 2));
  } else if (command === "flag-admin-key") {
    const [name] = args;
    if (!name) throw new Error(usage);
    const key = await issueFlagAdminKey({ ctx, input: { name } });
    console.log(JSON.stringify({ tenant: "switchboard", keyId: key.id, apiKey: key.secret }, null, 2));
  } else {
    const [name] = args;
    if (!name) throw new Error(usage);
    const key = await issuePilotOpsKey({ ctx, input: { name } });
    console.log(JSON.stringify({ tenant: "switchboard", keyId: key.id, apiKey: key.secret }, null, 2));
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await database.shutdown();
}
