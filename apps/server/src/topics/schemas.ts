import { type Static, Type } from '@fastify/type-provider-typebox';

/** TypeBox schemas of the topic routes (docs/server-api.md "Topics"). */

/** Kafka's legal topic names. */
export const TOPIC_NAME_PATTERN = '^(?!\\.{1,2}$)[A-Za-z0-9._-]{1,249}$';
export const TopicName = Type.String({ pattern: TOPIC_NAME_PATTERN, maxLength: 249 });
export const TopicParams = Type.Object({ topic: TopicName });

/** Bytes as text: `utf8` when they are valid UTF-8, else `base64`. */
export const EncodedBytes = Type.Object(
  {
    encoding: Type.Union([Type.Literal('utf8'), Type.Literal('base64')]),
    data: Type.String(),
  },
  { additionalProperties: false },
);
export type EncodedBytes = Static<typeof EncodedBytes>;

export const PartitionOffsets = Type.Object({
  partition: Type.Integer(),
  /** First offset still in the log. */
  earliest: Type.Integer(),
  /** The next offset to be written (the high watermark). */
  latest: Type.Integer(),
});

export const TopicSummary = Type.Object({
  name: Type.String(),
  internal: Type.Boolean(),
  partitions: Type.Integer(),
  /** Sum of `latest - earliest` over the partitions (control records and compacted gaps included). */
  messageCount: Type.Integer(),
  offsets: Type.Array(PartitionOffsets),
});
export type TopicSummary = Static<typeof TopicSummary>;

export const TopicConfig = Type.Object({
  name: Type.String(),
  value: Type.Union([Type.String(), Type.Null()]),
  isDefault: Type.Boolean(),
  readOnly: Type.Boolean(),
  sensitive: Type.Boolean(),
});

export const TopicDetail = Type.Object({
  name: Type.String(),
  internal: Type.Boolean(),
  messageCount: Type.Integer(),
  partitions: Type.Array(
    Type.Object({
      partition: Type.Integer(),
      leader: Type.Integer(),
      replicas: Type.Array(Type.Integer()),
      isr: Type.Array(Type.Integer()),
      earliest: Type.Integer(),
      latest: Type.Integer(),
    }),
  ),
  configs: Type.Array(TopicConfig),
});
export type TopicDetail = Static<typeof TopicDetail>;

export const MessageView = Type.Object({
  topic: Type.String(),
  partition: Type.Integer(),
  offset: Type.Integer(),
  /** ISO-8601, from the record's timestamp (create time unless the topic says log-append time). */
  timestamp: Type.String(),
  key: Type.Union([EncodedBytes, Type.Null()]),
  value: Type.Union([EncodedBytes, Type.Null()]),
  headers: Type.Array(Type.Object({ key: Type.String(), value: Type.Union([EncodedBytes, Type.Null()]) })),
});
export type MessageView = Static<typeof MessageView>;

export const BrowseQuery = Type.Object(
  {
    partition: Type.Optional(Type.Integer({ minimum: 0 })),
    offset: Type.Optional(Type.Integer({ minimum: 0 })),
    timestamp: Type.Optional(
      Type.String({ format: 'date-time', description: 'ISO-8601: the first records at or after it' }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);
export type BrowseQuery = Static<typeof BrowseQuery>;

export const BrowseResult = Type.Object({
  messages: Type.Array(MessageView),
  /** Where each read partition started and the end it read up to (exclusive). */
  ranges: Type.Array(Type.Object({ partition: Type.Integer(), from: Type.Integer(), until: Type.Integer() })),
});
export type BrowseResult = Static<typeof BrowseResult>;

/** Bytes in a request: a string is UTF-8 text; `{ encoding: 'base64', data }` is binary. */
export const BytesInput = Type.Union([
  Type.String({ maxLength: 1_000_000 }),
  Type.Object(
    {
      encoding: Type.Union([Type.Literal('utf8'), Type.Literal('base64')]),
      data: Type.String({ maxLength: 1_400_000 }),
    },
    { additionalProperties: false },
  ),
]);
export type BytesInput = Static<typeof BytesInput>;

export const ProduceBody = Type.Object(
  {
    // Null first: with ajv's type coercion a string branch tried first would turn null into ''.
    key: Type.Optional(Type.Union([Type.Null(), BytesInput])),
    value: Type.Union([Type.Null(), BytesInput]),
    headers: Type.Optional(Type.Record(Type.String({ maxLength: 1000 }), BytesInput, { maxProperties: 100 })),
    partition: Type.Optional(Type.Integer({ minimum: 0 })),
    timestamp: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type ProduceBody = Static<typeof ProduceBody>;

export const ProduceResult = Type.Object({
  topic: Type.String(),
  partition: Type.Integer(),
  offset: Type.Integer(),
});

export const CreateTopicBody = Type.Object(
  {
    name: TopicName,
    partitions: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
    replicationFactor: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    configs: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Type.String({ maxLength: 10_000 }), {
        maxProperties: 100,
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateTopicBody = Static<typeof CreateTopicBody>;
