CREATE TABLE "import_revert_chunks" (
	"tenant_id" text NOT NULL,
	"import_id" text NOT NULL,
	"chunk_no" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"deleted" integer DEFAULT 0 NOT NULL,
	"restored" integer DEFAULT 0 NOT NULL,
	"skipped" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_error" text,
	"receipt_id" text,
	"reverted_at" timestamp with time zone,
	CONSTRAINT "import_revert_chunks_import_id_chunk_no_pk" PRIMARY KEY("import_id","chunk_no")
);
--> statement-breakpoint
CREATE TABLE "import_reverts" (
	"tenant_id" text NOT NULL,
	"import_id" text NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_role" text NOT NULL,
	"decision_id" text NOT NULL,
	"chunks_total" integer NOT NULL,
	"chunks_done" integer DEFAULT 0 NOT NULL,
	"deleted" bigint DEFAULT 0 NOT NULL,
	"restored" bigint DEFAULT 0 NOT NULL,
	"skipped" bigint DEFAULT 0 NOT NULL,
	"error" text,
	"receipt_id" text,
	"started_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_reverts_tenant_id_import_id_pk" PRIMARY KEY("tenant_id","import_id")
);
--> statement-breakpoint
DROP INDEX "imports_tenant_kind_applying_key";--> statement-breakpoint
ALTER TABLE "import_revert_chunks" ADD CONSTRAINT "import_revert_chunks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_reverts" ADD CONSTRAINT "import_reverts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_revert_chunks_tenant_idx" ON "import_revert_chunks" USING btree ("tenant_id","import_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "imports_tenant_kind_applying_key" ON "imports" USING btree ("tenant_id","kind") WHERE "imports"."status" in ('applying', 'reverting');