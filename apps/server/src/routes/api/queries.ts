import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import {
  ErrorBody,
  JsonRow,
  QuerySpec,
  QueryView,
  RunView,
  StreamingQueryProgress,
  ValidationResult,
} from '../../queries/schemas.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = {
  400: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
  422: ErrorBody,
  429: ErrorBody,
};
const tags = ['queries'];

/** Queries: validation, CRUD, lifecycle, progress history, runs and memory-source rows (docs/server-api.md). */
export const queryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/queries/validate',
    {
      schema: {
        tags,
        summary: 'Parse and analyse a spec without starting it',
        body: Type.Object({ spec: QuerySpec }, { additionalProperties: false }),
        response: { 200: ValidationResult, 400: ErrorBody, 413: ErrorBody },
      },
    },
    async (request) => app.queries.validate(request.body.spec),
  );

  app.post(
    '/api/queries',
    {
      schema: {
        tags,
        summary: 'Create a query (and start it with ?start=true)',
        body: QuerySpec,
        querystring: Type.Object({ start: Type.Optional(Type.Boolean()) }),
        response: { 201: QueryView, ...errors },
      },
    },
    async (request, reply) => {
      const view = await app.queries.create(request.body, request.query.start === true);
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/api/queries',
    {
      schema: {
        tags,
        summary: 'List queries, oldest first',
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          cursor: Type.Optional(Type.String({ maxLength: 1000 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(QueryView),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          400: ErrorBody,
        },
      },
    },
    async (request) => app.queries.list(request.query.limit, request.query.cursor),
  );

  app.get(
    '/api/queries/:id',
    { schema: { tags, summary: 'One query', params: Id, response: { 200: QueryView, ...errors } } },
    async (request) => app.queries.get(request.params.id),
  );

  app.put(
    '/api/queries/:id',
    {
      schema: {
        tags,
        summary: 'Replace the spec of a stopped query',
        params: Id,
        body: QuerySpec,
        response: { 200: QueryView, ...errors },
      },
    },
    async (request) => app.queries.update(request.params.id, request.body),
  );

  for (const action of ['start', 'stop', 'restart'] as const) {
    app.post(
      `/api/queries/:id/${action}`,
      {
        schema: {
          tags,
          summary:
            action === 'start'
              ? 'Start the query from its checkpoint'
              : action === 'stop'
                ? 'Stop the query at a batch boundary'
                : 'Stop (if running) and start a new run from the checkpoint',
          params: Id,
          response: { 200: QueryView, ...errors },
        },
      },
      async (request) => app.queries[action](request.params.id),
    );
  }

  app.delete(
    '/api/queries/:id',
    {
      schema: {
        tags,
        summary: 'Delete the query (stopping it first); ?checkpoint=true also deletes its checkpoint',
        params: Id,
        querystring: Type.Object({ checkpoint: Type.Optional(Type.Boolean()) }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await app.queries.delete(request.params.id, request.query.checkpoint === true);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/queries/:id/progress',
    {
      schema: {
        tags,
        summary: 'Progress history, oldest first (from inclusive, to exclusive)',
        params: Id,
        querystring: Type.Object({
          sinceBatchId: Type.Optional(Type.Integer({ minimum: -1 })),
          untilBatchId: Type.Optional(Type.Integer({ minimum: 0 })),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          cursor: Type.Optional(Type.String({ maxLength: 1000 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(StreamingQueryProgress),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { sinceBatchId, untilBatchId, from, to, limit, cursor } = request.query;
      return app.queries.progress(request.params.id, {
        sinceBatchId,
        untilBatchId,
        from: from === undefined ? undefined : new Date(from),
        to: to === undefined ? undefined : new Date(to),
        limit,
        cursor,
      });
    },
  );

  app.get(
    '/api/queries/:id/runs',
    {
      schema: {
        tags,
        summary: 'Runs, newest first',
        params: Id,
        response: { 200: Type.Array(RunView), ...errors },
      },
    },
    async (request) => app.queries.runs(request.params.id),
  );

  app.post(
    '/api/queries/:id/sources/:alias/rows',
    {
      schema: {
        tags,
        summary: 'Add rows to a memory source of a running query',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), alias: Type.String({ maxLength: 200 }) }),
        body: Type.Object(
          { rows: Type.Array(JsonRow, { maxItems: 100_000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ added: Type.Integer() }), ...errors },
      },
    },
    async (request) => ({
      added: await app.queries.addRows(request.params.id, request.params.alias, request.body.rows),
    }),
  );
};
