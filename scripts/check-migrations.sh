#!/usr/bin/env bash
# Fails when shared/db/schema and migrations/ disagree: generating from a copy must produce nothing new.
set -euo pipefail
npx drizzle-kit check --dialect postgresql --out migrations
tmp=".drift-check"
rm -rf "$tmp" && mkdir "$tmp"
trap 'rm -rf "$tmp"' EXIT
cp -r migrations/. "$tmp/"
npx drizzle-kit generate --dialect postgresql --schema "./shared/db/schema/*.ts" --out "$tmp" --name drift >/dev/null
if ! diff -rq migrations "$tmp" >/dev/null; then
  echo "migrations/ is stale: the schema changed without a migration. Run 'npm run db:generate' and commit it." >&2
  diff -rq migrations "$tmp" >&2 || true
  exit 1
fi
npx tsx scripts/db-generate.ts --check
echo "migrations/ matches the schema."
