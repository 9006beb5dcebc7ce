CREATE TABLE "feedback" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"screen" text NOT NULL,
	"action_id" text NOT NULL,
	"action_kind" text,
	"decision_id" text,
	"receipt_id" text,
	"actor" text NOT NULL,
	"request_id" text,
	"submitted_receipt_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "feedback_tenant_created_idx" ON "feedback" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "feedback_tenant_screen_idx" ON "feedback" USING btree ("tenant_id","screen");