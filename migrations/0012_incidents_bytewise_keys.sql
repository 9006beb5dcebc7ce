-- Incident ids, tenants and keys compare byte by byte (the order C.UTF-8 gives them too): the
-- locale's string comparison on every insert into their three indexes was nearly half of a COPY.
ALTER TABLE "incidents" ALTER COLUMN "id" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "incidents" ALTER COLUMN "tenant_id" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "incidents" ALTER COLUMN "key" SET DATA TYPE text COLLATE "C";