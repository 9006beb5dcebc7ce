CREATE TABLE "approvals" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"summary" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by_type" text NOT NULL,
	"requested_by_id" text NOT NULL,
	"decided_by" text,
	"reason" text,
	"decision_id" text,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"cycle_ms" integer
);
--> statement-breakpoint
CREATE TABLE "command_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"command_id" text NOT NULL,
	"attempt_no" integer NOT NULL,
	"outcome" text NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "commands" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"target" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text NOT NULL,
	"requires_approval" boolean DEFAULT false NOT NULL,
	"approval_id" text,
	"incident_id" text,
	"run_id" text,
	"dispatch_mode" text,
	"attempt_count" integer DEFAULT 0 NOT NULL,
	"requested_by_type" text NOT NULL,
	"requested_by_id" text NOT NULL,
	"requested_by_role" text NOT NULL,
	"outcome" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "executors" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"url" text NOT NULL,
	"timeout_ms" integer DEFAULT 10000 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"backoff_seconds" integer DEFAULT 2 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runbook_run_steps" (
	"tenant_id" text NOT NULL,
	"run_id" text NOT NULL,
	"step_no" integer NOT NULL,
	"step_key" text NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"requires_approval" boolean DEFAULT false NOT NULL,
	"spec" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"approval_id" text,
	"command_id" text,
	"completed_by" text,
	"note" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "runbook_run_steps_tenant_id_run_id_step_no_pk" PRIMARY KEY("tenant_id","run_id","step_no")
);
--> statement-breakpoint
CREATE TABLE "runbook_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"runbook_id" text NOT NULL,
	"runbook_key" text NOT NULL,
	"runbook_version" integer NOT NULL,
	"incident_id" text,
	"inputs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text NOT NULL,
	"started_by_type" text NOT NULL,
	"started_by_id" text NOT NULL,
	"started_by_role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "telemetry_events" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"actor" text NOT NULL,
	"subject" text NOT NULL,
	"props" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "severity" text;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "command_attempts" ADD CONSTRAINT "command_attempts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commands" ADD CONSTRAINT "commands_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "executors" ADD CONSTRAINT "executors_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runbook_run_steps" ADD CONSTRAINT "runbook_run_steps_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runbook_runs" ADD CONSTRAINT "runbook_runs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telemetry_events" ADD CONSTRAINT "telemetry_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "approvals_tenant_created_idx" ON "approvals" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "approvals_status_expires_idx" ON "approvals" USING btree ("status","expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "command_attempts_command_attempt_key" ON "command_attempts" USING btree ("tenant_id","command_id","attempt_no");--> statement-breakpoint
CREATE INDEX "command_attempts_tenant_command_idx" ON "command_attempts" USING btree ("tenant_id","command_id");--> statement-breakpoint
CREATE INDEX "commands_tenant_created_idx" ON "commands" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "commands_tenant_incident_idx" ON "commands" USING btree ("tenant_id","incident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "executors_tenant_key" ON "executors" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "runbook_runs_tenant_created_idx" ON "runbook_runs" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "runbook_runs_tenant_incident_idx" ON "runbook_runs" USING btree ("tenant_id","incident_id");--> statement-breakpoint
CREATE INDEX "telemetry_events_tenant_at_idx" ON "telemetry_events" USING btree ("tenant_id","at");