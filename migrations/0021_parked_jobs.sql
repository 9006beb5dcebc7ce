CREATE TABLE "parked_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"type" text NOT NULL,
	"body" jsonb NOT NULL,
	"parked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "parked_jobs" ADD CONSTRAINT "parked_jobs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "parked_jobs_tenant_idx" ON "parked_jobs" USING btree ("tenant_id","parked_at");