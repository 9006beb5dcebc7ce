-- Logs written before the tree was stored: none of their nodes exist yet. The first
-- proof read of each builds them from its leaves (shared/receipts/tree/tree-backfill.ts).
UPDATE "receipt_logs" SET "tree_missing_below" = "size" WHERE "size" > 0;
