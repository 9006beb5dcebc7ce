CREATE TABLE "setup_steps" (
	"tenant_id" text NOT NULL,
	"step" text NOT NULL,
	"state" text NOT NULL,
	"source" text NOT NULL,
	"proof_receipt_id" text,
	"done_at" timestamp with time zone NOT NULL,
	"done_by" text NOT NULL,
	"receipt_id" text NOT NULL,
	"reason" text,
	CONSTRAINT "setup_steps_tenant_id_step_pk" PRIMARY KEY("tenant_id","step")
);
--> statement-breakpoint
ALTER TABLE "setup_steps" ADD CONSTRAINT "setup_steps_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;