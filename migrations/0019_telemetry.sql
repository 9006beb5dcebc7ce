CREATE TABLE "request_rollups" (
	"tenant_id" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"route" text NOT NULL,
	"method" text NOT NULL,
	"count" integer NOT NULL,
	"status_2xx" integer DEFAULT 0 NOT NULL,
	"status_3xx" integer DEFAULT 0 NOT NULL,
	"status_4xx" integer DEFAULT 0 NOT NULL,
	"status_5xx" integer DEFAULT 0 NOT NULL,
	"latency_sum_ms" double precision NOT NULL,
	"latency_max_ms" double precision NOT NULL,
	"histogram" jsonb NOT NULL,
	"bytes_in" bigint DEFAULT 0 NOT NULL,
	"bytes_out" bigint DEFAULT 0 NOT NULL,
	"receipts" integer DEFAULT 0 NOT NULL,
	"last_request_id" text,
	"last_receipt_id" text,
	CONSTRAINT "request_rollups_tenant_id_minute_route_method_pk" PRIMARY KEY("tenant_id","minute","route","method")
);
--> statement-breakpoint
ALTER TABLE "telemetry_events" ADD COLUMN "source" text DEFAULT 'action' NOT NULL;--> statement-breakpoint
ALTER TABLE "telemetry_events" ADD COLUMN "client_event_id" text;--> statement-breakpoint
ALTER TABLE "telemetry_events" ADD COLUMN "action_id" text;--> statement-breakpoint
ALTER TABLE "telemetry_events" ADD COLUMN "receipt_id" text;--> statement-breakpoint
ALTER TABLE "telemetry_events" ADD COLUMN "decision_id" text;--> statement-breakpoint
ALTER TABLE "telemetry_events" ADD COLUMN "received_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "request_rollups_minute_idx" ON "request_rollups" USING btree ("minute");--> statement-breakpoint
CREATE INDEX "telemetry_events_received_idx" ON "telemetry_events" USING btree ("source","received_at");