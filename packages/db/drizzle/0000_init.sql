CREATE TABLE "dead_letter_replays" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dead_letter_id" uuid NOT NULL,
	"target_topic" text NOT NULL,
	"target_partition" integer,
	"target_offset" bigint,
	"replayed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dead_letters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dlq_topic" text NOT NULL,
	"dlq_partition" integer NOT NULL,
	"dlq_offset" bigint NOT NULL,
	"source_topic" text,
	"source_partition" integer,
	"source_offset" bigint,
	"query_id" uuid,
	"query_name" text,
	"run_id" uuid,
	"batch_id" bigint,
	"stage" text NOT NULL,
	"error_class" text NOT NULL,
	"error_message" text NOT NULL,
	"stack" text,
	"key" "bytea",
	"value" "bytea",
	"headers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"failed_at" timestamp with time zone NOT NULL,
	"archived_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "queries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"spec" jsonb NOT NULL,
	"desired_state" text DEFAULT 'stopped' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "queries_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "query_progress" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"query_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"batch_id" bigint NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"progress" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dead_letter_replays" ADD CONSTRAINT "dead_letter_replays_dead_letter_id_dead_letters_id_fk" FOREIGN KEY ("dead_letter_id") REFERENCES "public"."dead_letters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "query_progress" ADD CONSTRAINT "query_progress_query_id_queries_id_fk" FOREIGN KEY ("query_id") REFERENCES "public"."queries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dead_letters_query_failed" ON "dead_letters" USING btree ("query_id","failed_at");--> statement-breakpoint
CREATE INDEX "dead_letters_stage" ON "dead_letters" USING btree ("stage","error_class");--> statement-breakpoint
CREATE INDEX "dead_letters_dlq_position" ON "dead_letters" USING btree ("dlq_topic","dlq_partition","dlq_offset");--> statement-breakpoint
CREATE INDEX "query_progress_query_ts" ON "query_progress" USING btree ("query_id","timestamp");