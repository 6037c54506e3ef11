import { type Static, Type } from '@fastify/type-provider-typebox';

/** TypeBox schemas of the query spec and the views the routes answer with (docs/server-api.md). */

export const QUERY_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]*$';
export const SOURCE_ALIAS_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';
export const MAX_SQL_LENGTH = 100_000;

const StringOptions = Type.Record(Type.String(), Type.String({ maxLength: 10_000 }), {
  maxProperties: 100,
  description: "Spark's option names and string values",
});

export const SourceSpec = Type.Object(
  {
    format: Type.Union([
      Type.Literal('kafka'),
      Type.Literal('rate'),
      Type.Literal('rate-micro-batch'),
      Type.Literal('memory'),
      Type.Literal('file'),
      Type.Literal('socket'),
    ]),
    options: Type.Optional(StringOptions),
    schema: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 10_000,
        description: 'Spark DDL (the Avro record schema as JSON with valueFormat avro)',
      }),
    ),
    valueFormat: Type.Optional(
      Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('avro'), Type.Literal('raw')]),
    ),
    watermark: Type.Optional(
      Type.Object(
        {
          column: Type.String({ minLength: 1, maxLength: 200 }),
          delay: Type.String({ minLength: 1, maxLength: 100 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type SourceSpec = Static<typeof SourceSpec>;

export const TriggerSpec = Type.Object(
  {
    processingTime: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    once: Type.Optional(Type.Literal(true)),
    availableNow: Type.Optional(Type.Literal(true)),
  },
  { additionalProperties: false },
);

export const OutputMode = Type.Union([
  Type.Literal('append'),
  Type.Literal('update'),
  Type.Literal('complete'),
]);
export type OutputMode = Static<typeof OutputMode>;

export const QuerySpec = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: QUERY_NAME_PATTERN }),
    sources: Type.Record(Type.String({ pattern: SOURCE_ALIAS_PATTERN }), SourceSpec, {
      minProperties: 1,
      maxProperties: 8,
      additionalProperties: false,
    }),
    sql: Type.String({ minLength: 1, maxLength: MAX_SQL_LENGTH }),
    sink: Type.Object(
      { format: Type.String({ minLength: 1, maxLength: 100 }), options: Type.Optional(StringOptions) },
      { additionalProperties: false },
    ),
    outputMode: OutputMode,
    trigger: Type.Optional(TriggerSpec),
    checkpointLocation: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  },
  { additionalProperties: false },
);
export type QuerySpec = Static<typeof QuerySpec>;

/** Spark's StreamingQueryProgress, verbatim (the main fields are documented, the rest pass through). */
export const StreamingQueryProgress = Type.Object(
  {
    id: Type.String(),
    runId: Type.String(),
    name: Type.Union([Type.String(), Type.Null()]),
    timestamp: Type.String(),
    batchId: Type.Integer(),
    numInputRows: Type.Number(),
  },
  { additionalProperties: true },
);

export const QueryException = Type.Object({
  errorClass: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
  stack: Type.Union([Type.String(), Type.Null()]),
});
export type QueryException = Static<typeof QueryException>;

export const QueryStatus = Type.Union([
  Type.Literal('stopped'),
  Type.Literal('starting'),
  Type.Literal('running'),
  Type.Literal('stopping'),
  Type.Literal('failed'),
  Type.Literal('finished'),
]);
export type QueryStatus = Static<typeof QueryStatus>;

export const DesiredState = Type.Union([Type.Literal('running'), Type.Literal('stopped')]);
export type DesiredState = Static<typeof DesiredState>;

export const QueryView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  spec: QuerySpec,
  status: QueryStatus,
  desiredState: DesiredState,
  runId: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  lastProgress: Type.Union([StreamingQueryProgress, Type.Null()]),
  exception: Type.Union([QueryException, Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type QueryView = Static<typeof QueryView>;

export const RunView = Type.Object({
  runId: Type.String(),
  startedAt: Type.String(),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  exception: Type.Union([QueryException, Type.Null()]),
});
export type RunView = Static<typeof RunView>;

export const ColumnView = Type.Object({ name: Type.String(), type: Type.String(), nullable: Type.Boolean() });
export type ColumnView = Static<typeof ColumnView>;

export const ValidationError = Type.Object({
  message: Type.String(),
  errorClass: Type.Union([Type.String(), Type.Null()]),
  line: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.Integer()),
  field: Type.Optional(Type.String()),
});
export type ValidationError = Static<typeof ValidationError>;

export const ValidationResult = Type.Object({
  ok: Type.Boolean(),
  errors: Type.Array(ValidationError),
  schema: Type.Array(ColumnView),
  plan: Type.String(),
  outputModes: Type.Array(OutputMode),
  sources: Type.Record(Type.String(), Type.Array(Type.Object({ name: Type.String(), type: Type.String() }))),
});
export type ValidationResult = Static<typeof ValidationResult>;

/** The error body of every non-2xx answer. */
export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
  errorClass: Type.Optional(Type.String()),
  line: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.Integer()),
});

export const JsonRow = Type.Record(Type.String(), Type.Unknown());

export const TableView = Type.Object({
  name: Type.String(),
  queryId: Type.String(),
  schema: Type.Array(ColumnView),
  rowCount: Type.Integer(),
  outputMode: OutputMode,
  /** Update mode with a grouping key: the key's columns (rows are upserted by them). */
  key: Type.Union([Type.Array(Type.String()), Type.Null()]),
  truncated: Type.Boolean(),
  /** `SLUICE_MEMORY_TABLE_ROWS`: rows kept at most. */
  maxRows: Type.Integer(),
});
export type TableView = Static<typeof TableView>;
