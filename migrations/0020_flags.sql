CREATE TABLE "flag_versions" (
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"change" text NOT NULL,
	"before" jsonb,
	"after" jsonb NOT NULL,
	"digest" text NOT NULL,
	"actor" text NOT NULL,
	"receipt_id" text NOT NULL,
	"restored_version" integer,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "flag_versions_key_version_pk" PRIMARY KEY("key","version")
);
--> statement-breakpoint
CREATE TABLE "flags" (
	"key" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"config" jsonb NOT NULL,
	"digest" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
