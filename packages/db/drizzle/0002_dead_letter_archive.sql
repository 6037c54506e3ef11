DROP INDEX "dead_letters_dlq_position";--> statement-breakpoint
ALTER TABLE "dead_letter_replays" ADD COLUMN "request_id" uuid;--> statement-breakpoint
ALTER TABLE "dead_letters" ADD COLUMN "record_timestamp" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "dead_letter_replays_dead_letter" ON "dead_letter_replays" USING btree ("dead_letter_id","replayed_at");--> statement-breakpoint
CREATE INDEX "dead_letters_query_name_failed" ON "dead_letters" USING btree ("query_name","failed_at");--> statement-breakpoint
CREATE INDEX "dead_letters_failed" ON "dead_letters" USING btree ("failed_at");--> statement-breakpoint
ALTER TABLE "dead_letters" ADD CONSTRAINT "dead_letters_dlq_position_unique" UNIQUE("dlq_topic","dlq_partition","dlq_offset");