CREATE TABLE "ramp_plans" (
	"id" text PRIMARY KEY NOT NULL,
	"flag_key" text NOT NULL,
	"steps" jsonb NOT NULL,
	"step_index" integer NOT NULL,
	"min_dwell_minutes" integer NOT NULL,
	"guardrails" jsonb NOT NULL,
	"status" text NOT NULL,
	"step_started_at" timestamp with time zone NOT NULL,
	"pause_reason" jsonb,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
