DROP INDEX "api_keys_tenant_idx";--> statement-breakpoint
DROP INDEX "approvals_tenant_created_idx";--> statement-breakpoint
DROP INDEX "commands_tenant_created_idx";--> statement-breakpoint
DROP INDEX "imports_tenant_time_idx";--> statement-breakpoint
DROP INDEX "incidents_tenant_opened_idx";--> statement-breakpoint
DROP INDEX "runbook_runs_tenant_created_idx";--> statement-breakpoint
DROP INDEX "receipts_tenant_time_idx";--> statement-breakpoint
DROP INDEX "receipts_tenant_kind_idx";--> statement-breakpoint
CREATE INDEX "api_keys_tenant_list_idx" ON "api_keys" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "approvals_tenant_list_idx" ON "approvals" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "approvals_tenant_status_list_idx" ON "approvals" USING btree ("tenant_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "commands_tenant_list_idx" ON "commands" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "commands_tenant_status_list_idx" ON "commands" USING btree ("tenant_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "imports_tenant_list_idx" ON "imports" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "imports_tenant_kind_list_idx" ON "imports" USING btree ("tenant_id","kind","created_at","id");--> statement-breakpoint
CREATE INDEX "imports_tenant_status_list_idx" ON "imports" USING btree ("tenant_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "incidents_tenant_list_idx" ON "incidents" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "incidents_tenant_status_list_idx" ON "incidents" USING btree ("tenant_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "operators_tenant_list_idx" ON "operators" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "operators_tenant_status_list_idx" ON "operators" USING btree ("tenant_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "policy_exceptions_tenant_list_idx" ON "policy_exceptions" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "receipts_tenant_actor_idx" ON "receipts" USING btree ("tenant_id","actor","occurred_at","seq");--> statement-breakpoint
CREATE INDEX "receipts_tenant_subject_idx" ON "receipts" USING btree ("tenant_id","subject","occurred_at","seq");--> statement-breakpoint
CREATE INDEX "runbook_runs_tenant_list_idx" ON "runbook_runs" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "runbooks_tenant_list_idx" ON "runbooks" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "tenant_domains_tenant_list_idx" ON "tenant_domains" USING btree ("tenant_id","created_at","host");--> statement-breakpoint
CREATE INDEX "tenants_list_idx" ON "tenants" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "receipts_tenant_time_idx" ON "receipts" USING btree ("tenant_id","occurred_at","seq");--> statement-breakpoint
CREATE INDEX "receipts_tenant_kind_idx" ON "receipts" USING btree ("tenant_id","kind","occurred_at","seq");