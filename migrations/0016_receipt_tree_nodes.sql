CREATE TABLE "receipt_tree_nodes" (
	"tenant_id" text NOT NULL,
	"level" smallint NOT NULL,
	"idx" bigint NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "receipt_tree_nodes_tenant_id_level_idx_pk" PRIMARY KEY("tenant_id","level","idx")
);
--> statement-breakpoint
ALTER TABLE "receipt_logs" ADD COLUMN "tree_missing_below" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "receipt_tree_nodes" ADD CONSTRAINT "receipt_tree_nodes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;