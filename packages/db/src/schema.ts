import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

/** A streaming query as the REST API accepts it and the dashboard edits it (docs/server-api.md "The query spec"). */
export const Queries = pgTable('queries', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull().unique(),
  spec: jsonb('spec').notNull(),
  /** Desired state: the server restarts queries marked running after its own restart. */
  desiredState: text('desired_state').notNull().default('stopped'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Every StreamingQueryProgress object, as emitted by the engine (Spark's field names, kept verbatim). */
export const QueryProgress = pgTable(
  'query_progress',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    queryId: uuid('query_id')
      .notNull()
      .references(() => Queries.id, { onDelete: 'cascade' }),
    runId: uuid('run_id').notNull(),
    batchId: bigint('batch_id', { mode: 'number' }).notNull(),
    timestamp: timestamp('timestamp', { withTimezone: true }).notNull(),
    progress: jsonb('progress').notNull(),
  },
  (t) => [
    index('query_progress_query_ts').on(t.queryId, t.timestamp),
    index('query_progress_query_batch').on(t.queryId, t.batchId),
  ],
);

/** One row per run of a query (a start until its stop, failure or end); `runId` is the engine's runId. */
export const QueryRuns = pgTable(
  'query_runs',
  {
    runId: uuid('run_id').primaryKey(),
    queryId: uuid('query_id')
      .notNull()
      .references(() => Queries.id, { onDelete: 'cascade' }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** `running`, then `stopped`, `failed` or `finished`. */
    status: text('status').notNull(),
    /** `{ errorClass, message, stack }` when the run failed. */
    exception: jsonb('exception'),
  },
  (t) => [index('query_runs_query_started').on(t.queryId, t.startedAt)],
);

/** Records that could not be processed, archived from the dead-letter topics. */
export const DeadLetters = pgTable(
  'dead_letters',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    dlqTopic: text('dlq_topic').notNull(),
    dlqPartition: integer('dlq_partition').notNull(),
    dlqOffset: bigint('dlq_offset', { mode: 'number' }).notNull(),
    sourceTopic: text('source_topic'),
    sourcePartition: integer('source_partition'),
    sourceOffset: bigint('source_offset', { mode: 'number' }),
    queryId: uuid('query_id'),
    queryName: text('query_name'),
    runId: uuid('run_id'),
    batchId: bigint('batch_id', { mode: 'number' }),
    stage: text('stage').notNull(),
    errorClass: text('error_class').notNull(),
    errorMessage: text('error_message').notNull(),
    stack: text('stack'),
    key: bytea('key'),
    value: bytea('value'),
    /** Every header of the dead-letter record, `[{ key, value: { encoding: 'utf8' | 'base64', data } | null }]`. */
    headers: jsonb('headers').notNull().default(sql`'[]'::jsonb`),
    /** `__sluice.errors.timestamp`: when the query failed on the record. */
    failedAt: timestamp('failed_at', { withTimezone: true }).notNull(),
    /** The original record's timestamp (the dead-letter record keeps it). */
    recordTimestamp: timestamp('record_timestamp', { withTimezone: true }),
    archivedAt: timestamp('archived_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('dead_letters_query_failed').on(t.queryId, t.failedAt),
    index('dead_letters_query_name_failed').on(t.queryName, t.failedAt),
    index('dead_letters_failed').on(t.failedAt),
    index('dead_letters_stage').on(t.stage, t.errorClass),
    // The archiver inserts with ON CONFLICT DO NOTHING on this: a re-read record is never a second row.
    unique('dead_letters_dlq_position_unique').on(t.dlqTopic, t.dlqPartition, t.dlqOffset),
  ],
);

/** One row per replay of a dead letter, so an operator can see what was sent where and when. */
export const DeadLetterReplays = pgTable(
  'dead_letter_replays',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deadLetterId: uuid('dead_letter_id')
      .notNull()
      .references(() => DeadLetters.id, { onDelete: 'cascade' }),
    /** One id per replay request, shared by the dead letters it sent. */
    requestId: uuid('request_id'),
    targetTopic: text('target_topic').notNull(),
    targetPartition: integer('target_partition'),
    targetOffset: bigint('target_offset', { mode: 'number' }),
    replayedAt: timestamp('replayed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('dead_letter_replays_dead_letter').on(t.deadLetterId, t.replayedAt)],
);
