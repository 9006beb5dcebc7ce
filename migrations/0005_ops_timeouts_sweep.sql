ALTER TABLE "runbook_run_steps" ADD COLUMN "timeout_seconds" integer;--> statement-breakpoint
ALTER TABLE "runbook_run_steps" ADD COLUMN "deadline_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "commands_tenant_run_idx" ON "commands" USING btree ("tenant_id","run_id");--> statement-breakpoint
CREATE INDEX "commands_status_dispatched_idx" ON "commands" USING btree ("status","dispatched_at");--> statement-breakpoint
CREATE INDEX "runbook_run_steps_status_deadline_idx" ON "runbook_run_steps" USING btree ("status","deadline_at");