CREATE TABLE "graph_edges" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"from_key" text NOT NULL,
	"type" text NOT NULL,
	"to_key" text NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"last_import_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "graph_entities" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"last_import_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"status" text NOT NULL,
	"locked_until" timestamp with time zone NOT NULL,
	"response_status" integer,
	"response_headers" jsonb,
	"response_body" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_tenant_id_key_pk" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
CREATE TABLE "import_chunks" (
	"tenant_id" text NOT NULL,
	"import_id" text NOT NULL,
	"chunk_no" integer NOT NULL,
	"row_class" text NOT NULL,
	"file" integer NOT NULL,
	"rows" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"applied" integer DEFAULT 0 NOT NULL,
	"skipped" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_error" text,
	"receipt_id" text,
	"applied_at" timestamp with time zone,
	CONSTRAINT "import_chunks_import_id_chunk_no_pk" PRIMARY KEY("import_id","chunk_no")
);
--> statement-breakpoint
CREATE TABLE "import_plans" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"format" text NOT NULL,
	"source_sha256" text NOT NULL,
	"source_name" text,
	"mapping" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"on_conflict" text DEFAULT 'skip' NOT NULL,
	"importer_version" text NOT NULL,
	"bundle_version" text NOT NULL,
	"watermark" bigint NOT NULL,
	"role" text NOT NULL,
	"content_key" text NOT NULL,
	"counts" jsonb NOT NULL,
	"files" jsonb NOT NULL,
	"rows_per_chunk" integer NOT NULL,
	"object_prefix" text NOT NULL,
	"grants_admin" boolean DEFAULT false NOT NULL,
	"decision_id" text NOT NULL,
	"manifest_key" text NOT NULL,
	"manifest_digest" text NOT NULL,
	"receipt_id" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_sources" (
	"tenant_id" text NOT NULL,
	"sha256" text NOT NULL,
	"object_key" text NOT NULL,
	"size" bigint NOT NULL,
	"content_type" text,
	"name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_sources_tenant_id_sha256_pk" PRIMARY KEY("tenant_id","sha256")
);
--> statement-breakpoint
CREATE TABLE "import_uploads" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"object_key" text NOT NULL,
	"name" text,
	"content_type" text,
	"max_bytes" bigint NOT NULL,
	"created_by" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'applying' NOT NULL,
	"chunks_total" integer NOT NULL,
	"chunks_done" integer DEFAULT 0 NOT NULL,
	"rows_total" bigint NOT NULL,
	"rows_applied" bigint DEFAULT 0 NOT NULL,
	"rows_skipped" bigint DEFAULT 0 NOT NULL,
	"counts" jsonb NOT NULL,
	"content_key" text NOT NULL,
	"manifest_digest" text NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_role" text NOT NULL,
	"decision_id" text NOT NULL,
	"receipt_id" text,
	"revert_receipt_id" text,
	"error" text,
	"started_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"number" integer,
	"title" text NOT NULL,
	"description" text,
	"status" text NOT NULL,
	"urgency" text,
	"priority" text,
	"service" text,
	"escalation_policy" text,
	"opened_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"assignee" text,
	"runbook" text,
	"source" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"last_import_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runbook_versions" (
	"tenant_id" text NOT NULL,
	"runbook_key" text NOT NULL,
	"version_no" integer NOT NULL,
	"content" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"import_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "runbook_versions_tenant_id_runbook_key_version_no_pk" PRIMARY KEY("tenant_id","runbook_key","version_no")
);
--> statement-breakpoint
CREATE TABLE "runbooks" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"title" text NOT NULL,
	"content" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"current_version" integer DEFAULT 1 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"last_import_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenant_state" (
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_state_tenant_id_kind_pk" PRIMARY KEY("tenant_id","kind")
);
--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "roles" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "graph_edges" ADD CONSTRAINT "graph_edges_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graph_entities" ADD CONSTRAINT "graph_entities_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_chunks" ADD CONSTRAINT "import_chunks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_plans" ADD CONSTRAINT "import_plans_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_sources" ADD CONSTRAINT "import_sources_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_uploads" ADD CONSTRAINT "import_uploads_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runbook_versions" ADD CONSTRAINT "runbook_versions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runbooks" ADD CONSTRAINT "runbooks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_state" ADD CONSTRAINT "tenant_state_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "graph_edges_tenant_edge_key" ON "graph_edges" USING btree ("tenant_id","from_key","type","to_key");--> statement-breakpoint
CREATE INDEX "graph_edges_tenant_to_idx" ON "graph_edges" USING btree ("tenant_id","to_key");--> statement-breakpoint
CREATE UNIQUE INDEX "graph_entities_tenant_key_key" ON "graph_entities" USING btree ("tenant_id","key");--> statement-breakpoint
CREATE INDEX "import_chunks_tenant_idx" ON "import_chunks" USING btree ("tenant_id","import_id","status");--> statement-breakpoint
CREATE INDEX "import_plans_tenant_idx" ON "import_plans" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "import_uploads_tenant_idx" ON "import_uploads" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "imports_tenant_plan_key" ON "imports" USING btree ("tenant_id","plan_id");--> statement-breakpoint
CREATE UNIQUE INDEX "imports_tenant_kind_applying_key" ON "imports" USING btree ("tenant_id","kind") WHERE "imports"."status" = 'applying';--> statement-breakpoint
CREATE INDEX "imports_tenant_content_idx" ON "imports" USING btree ("tenant_id","content_key");--> statement-breakpoint
CREATE INDEX "imports_tenant_time_idx" ON "imports" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_tenant_key_key" ON "incidents" USING btree ("tenant_id","key");--> statement-breakpoint
CREATE INDEX "incidents_tenant_opened_idx" ON "incidents" USING btree ("tenant_id","opened_at");--> statement-breakpoint
CREATE UNIQUE INDEX "runbooks_tenant_key_key" ON "runbooks" USING btree ("tenant_id","key");