DROP INDEX "tenant_domains_tenant_idx";--> statement-breakpoint
ALTER TABLE "tenant_domains" DROP CONSTRAINT "tenant_domains_pkey";--> statement-breakpoint
ALTER TABLE "tenant_domains" ADD CONSTRAINT "tenant_domains_tenant_id_host_pk" PRIMARY KEY("tenant_id","host");--> statement-breakpoint
ALTER TABLE "tenant_domains" ADD COLUMN "status" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "tenant_domains" ADD COLUMN "verification_token" text DEFAULT ('sbv_' || replace(gen_random_uuid()::text, '-', '')) NOT NULL;--> statement-breakpoint
ALTER TABLE "tenant_domains" ADD COLUMN "verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenant_domains" ADD COLUMN "checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenant_domains" ADD COLUMN "check_problem" text;--> statement-breakpoint
CREATE UNIQUE INDEX "tenant_domains_verified_host_key" ON "tenant_domains" USING btree ("host") WHERE "tenant_domains"."status" = 'verified';--> statement-breakpoint
CREATE INDEX "tenant_domains_host_idx" ON "tenant_domains" USING btree ("host");--> statement-breakpoint
CREATE INDEX "tenant_domains_checked_idx" ON "tenant_domains" USING btree ("checked_at");