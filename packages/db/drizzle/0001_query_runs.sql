CREATE TABLE "query_runs" (
	"run_id" uuid PRIMARY KEY NOT NULL,
	"query_id" uuid NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"status" text NOT NULL,
	"exception" jsonb
);
--> statement-breakpoint
ALTER TABLE "query_runs" ADD CONSTRAINT "query_runs_query_id_queries_id_fk" FOREIGN KEY ("query_id") REFERENCES "public"."queries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "query_runs_query_started" ON "query_runs" USING btree ("query_id","started_at");--> statement-breakpoint
CREATE INDEX "query_progress_query_batch" ON "query_progress" USING btree ("query_id","batch_id");