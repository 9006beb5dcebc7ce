/**
 * `npm run db:generate -- --name <name>`: drizzle-kit's migration for the schema, then, for
 * every importable table (shared/imports/registry.ts) whose triggers no migration creates
 * yet, a custom migration `<name>_import_triggers` with them (shared/db/import-triggers.ts).
 * drizzle-kit cannot generate triggers; a kind's table without them would import, but its
 * watermark would never move and its `version` would stay 1.
 * `--check` writes nothing: it fails when an importable table's triggers are in no migration
 * (`npm run db:check` runs it).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type ImportTable,
  importTriggerStatements,
  importTriggersMigration,
} from "../shared/db/import-triggers";
import { importTables } from "../shared/imports/registry";

const folder = "migrations";
const args = process.argv.slice(2);
const check = args.includes("--check");

const sqlFiles = () =>
  readdirSync(folder)
    .filter((file) => file.endsWith(".sql"))
    .sort();

/** Trigger name → created (true) or dropped since (false), in migration order. */
function triggersInMigrations(): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const file of sqlFiles()) {
    const text = readFileSync(join(folder, file), "utf8");
    for (const match of text.matchAll(/\b(create|drop)\s+trigger\s+(?:if\s+exists\s+)?"?(\w+)"?/gi)) {
      out.set((match[2] ?? "").toLowerCase(), (match[1] ?? "").toLowerCase() === "create");
    }
  }
  return out;
}

/** The tables with a trigger no migration creates (each with all its triggers' statements). */
function lacking(): ImportTable[] {
  const created = triggersInMigrations();
  return importTables().filter((table) =>
    importTriggerStatements(table).some((statement) => {
      const name = /CREATE TRIGGER (\w+)/.exec(statement)?.[1] ?? "";
      return created.get(name) !== true;
    }),
  );
}

function drizzleKit(extra: string[]) {
  const run = spawnSync("npx", ["drizzle-kit", "generate", ...extra], { stdio: "inherit" });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

if (check) {
  const missing = lacking();
  if (missing.length > 0) {
    console.error(
      `Importable tables without their triggers in migrations/: ${missing.map((t) => t.table).join(", ")}. Run 'npm run db:generate'.`,
    );
    process.exit(1);
  }
  console.log("every importable table's triggers are in migrations/.");
} else {
  drizzleKit(args);
  const missing = lacking();
  if (missing.length > 0) {
    const at = args.indexOf("--name");
    const name = `${at >= 0 ? args[at + 1] : "import"}_import_triggers`;
    const before = new Set(sqlFiles());
    drizzleKit(["--custom", "--name", name]);
    const file = sqlFiles().find((f) => !before.has(f));
    if (!file) throw new Error("drizzle-kit made no custom migration");
    const tables = missing.map((t) => t.table).join(", ");
    writeFileSync(
      join(folder, file),
      `-- The import triggers of ${tables} (shared/db/import-triggers.ts).\n${importTriggersMigration(missing)}`,
    );
    console.log(`${file}: the import triggers of ${tables}`);
  }
}
