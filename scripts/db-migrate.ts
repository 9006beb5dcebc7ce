/** `npm run db:migrate`: applies migrations/ to the Postgres named by DATABASE_URL. */
import { migrationsFolder } from "../functions/platform-node";
import { createPgDatabase } from "../shared/platform/database-pg";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is required: the Postgres to migrate (postgres://user:pass@host:5432/db).");
  process.exit(1);
}
const db = createPgDatabase({ url, max: 1 });
try {
  await db.migrate(migrationsFolder);
  console.log(`migrations applied to ${new URL(url).host}${new URL(url).pathname}`);
} finally {
  await db.shutdown();
}
