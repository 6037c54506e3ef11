import { type Static, type TSchema, Type } from '@fastify/type-provider-typebox';
import { EncodedBytes, TopicName } from '../topics/schemas.js';

/** TypeBox schemas of the dead-letter routes (docs/server-api.md "Dead letters"). */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Stage = Type.Union([Type.Literal('parse'), Type.Literal('eval'), Type.Literal('sink')]);

/** Which dead letters a list, count, replay or purge covers; every field narrows (AND). */
const filterProperties = {
  queryName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  queryId: Type.Optional(Type.String({ format: 'uuid' })),
  sourceTopic: Type.Optional(Type.String({ minLength: 1, maxLength: 249 })),
  stage: Type.Optional(Stage),
  errorClass: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'text in the error message (case-insensitive) or in the payload bytes (exact)',
    }),
  ),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'failedAt >= from' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'failedAt < to' })),
  replayed: Type.Optional(Type.Boolean({ description: 'only the ones replayed at least once (or never)' })),
};
export const DeadLetterFilter = Type.Object(filterProperties, { additionalProperties: false });
export type DeadLetterFilter = Static<typeof DeadLetterFilter>;

export const ListQuery = Type.Object(
  {
    ...filterProperties,
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

export const GroupBy = Type.Union([
  Type.Literal('stage'),
  Type.Literal('queryName'),
  Type.Literal('errorClass'),
]);
export type GroupBy = Static<typeof GroupBy>;

export const CountsQuery = Type.Object(
  {
    ...filterProperties,
    groupBy: Type.Optional(GroupBy),
    bucketSeconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 604_800, description: 'default: about 60 buckets over the range' }),
    ),
  },
  { additionalProperties: false },
);
export type CountsQuery = Static<typeof CountsQuery>;

const summaryProperties = {
  id: Type.String({ format: 'uuid' }),
  dlqTopic: Type.String(),
  dlqPartition: Type.Integer(),
  dlqOffset: Type.Integer(),
  sourceTopic: Nullable(Type.String()),
  sourcePartition: Nullable(Type.Integer()),
  sourceOffset: Nullable(Type.Integer()),
  queryId: Nullable(Type.String()),
  queryName: Nullable(Type.String()),
  runId: Nullable(Type.String()),
  batchId: Nullable(Type.Integer()),
  stage: Type.String(),
  errorClass: Type.String(),
  /** The first 1000 characters (the detail has all of it). */
  errorMessage: Type.String(),
  /** The value's first 200 bytes as text (invalid UTF-8 replaced), for a list row. */
  valuePreview: Nullable(Type.String()),
  valueSize: Nullable(Type.Integer()),
  failedAt: Type.String(),
  archivedAt: Type.String(),
  replayCount: Type.Integer(),
  lastReplayedAt: Nullable(Type.String()),
};
export const DeadLetterSummary = Type.Object(summaryProperties);
export type DeadLetterSummary = Static<typeof DeadLetterSummary>;

export const ReplayView = Type.Object({
  id: Type.Integer(),
  requestId: Nullable(Type.String()),
  targetTopic: Type.String(),
  targetPartition: Nullable(Type.Integer()),
  targetOffset: Nullable(Type.Integer()),
  replayedAt: Type.String(),
});
export type ReplayView = Static<typeof ReplayView>;

export const DeadLetterDetail = Type.Object({
  ...summaryProperties,
  /** The whole message. */
  errorMessage: Type.String(),
  stack: Nullable(Type.String()),
  key: Nullable(EncodedBytes),
  value: Nullable(EncodedBytes),
  headers: Type.Array(Type.Object({ key: Type.String(), value: Nullable(EncodedBytes) })),
  /** The original record's timestamp. */
  recordTimestamp: Nullable(Type.String()),
  /** Newest first. */
  replays: Type.Array(ReplayView),
});
export type DeadLetterDetail = Static<typeof DeadLetterDetail>;

export const DeadLetterPage = Type.Object({
  items: Type.Array(DeadLetterSummary),
  nextCursor: Nullable(Type.String()),
});

export const CountsResult = Type.Object({
  groupBy: GroupBy,
  bucketSeconds: Type.Integer(),
  /** The range the buckets cover: `from` (default: 24 hours before `to`) to `to` (default: now). */
  from: Type.String(),
  to: Type.String(),
  /** Oldest first; empty buckets are left out. */
  buckets: Type.Array(
    Type.Object({ time: Type.String(), counts: Type.Record(Type.String(), Type.Integer()) }),
  ),
  /** Per group over the whole filter (all time when `from` and `to` are absent). */
  totals: Type.Record(Type.String(), Type.Integer()),
  total: Type.Integer(),
});
export type CountsResult = Static<typeof CountsResult>;

/** At most this many dead letters per replay or purge request. */
export const MAX_BULK = 10_000;

const Selection = {
  ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: MAX_BULK })),
  filter: Type.Optional(DeadLetterFilter),
};

export const ReplayBody = Type.Object(
  {
    ...Selection,
    /** Default: each dead letter's source topic. */
    targetTopic: Type.Optional(TopicName),
  },
  { additionalProperties: false },
);
export type ReplayBody = Static<typeof ReplayBody>;

export const ReplayResult = Type.Object({
  requestId: Type.String({ format: 'uuid' }),
  requested: Type.Integer(),
  replayed: Type.Integer(),
  targets: Type.Array(Type.Object({ topic: Type.String(), count: Type.Integer() })),
  /** Dead letters not sent (no source topic to return to, or the topic is gone). */
  failed: Type.Array(Type.Object({ id: Type.String(), message: Type.String() })),
});
export type ReplayResult = Static<typeof ReplayResult>;

export const PurgeBody = Type.Object(Selection, { additionalProperties: false });
export type PurgeBody = Static<typeof PurgeBody>;

export const PurgeResult = Type.Object({ purged: Type.Integer() });

export const DeadLetterIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
