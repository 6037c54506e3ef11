import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { functionNames, lookupFunction } from '@sluice/engine';
import { ColumnView, ErrorBody, JsonRow, QuerySpec, TableView } from '../../queries/schemas.js';

const FunctionKind = Type.Union([
  Type.Literal('scalar'),
  Type.Literal('aggregate'),
  Type.Literal('generator'),
]);

/** The engine's functions (for completion), memory tables and their rows, and editor previews. */
export const catalogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/functions',
    {
      schema: {
        tags: ['catalog'],
        summary: "The engine's function registry",
        response: { 200: Type.Array(Type.Object({ name: Type.String(), kind: FunctionKind })) },
      },
    },
    async () =>
      functionNames().flatMap((name) => {
        const kind = lookupFunction(name)?.kind;
        return kind ? [{ name, kind }] : [];
      }),
  );

  app.get(
    '/api/tables',
    {
      schema: { tags: ['catalog'], summary: 'Memory-sink tables', response: { 200: Type.Array(TableView) } },
    },
    async () =>
      app.queries.tables.list().map((t) => ({
        name: t.name,
        queryId: t.queryId,
        schema: t.schema,
        rowCount: t.rowCount,
        outputMode: t.outputMode,
        key: t.keyColumns,
        truncated: t.truncated,
        maxRows: app.queries.tables.maxRows,
      })),
  );

  app.get(
    '/api/tables/:name/rows',
    {
      schema: {
        tags: ['catalog'],
        summary: "A page of a memory table's rows",
        params: Type.Object({ name: Type.String({ maxLength: 200 }) }),
        querystring: Type.Object({
          offset: Type.Integer({ minimum: 0, default: 0 }),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: {
          200: Type.Object({
            schema: Type.Array(ColumnView),
            rows: Type.Array(JsonRow),
            total: Type.Integer(),
            truncated: Type.Boolean(),
          }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => app.queries.tableRows(request.params.name, request.query.offset, request.query.limit),
  );

  app.post(
    '/api/previews',
    {
      schema: {
        tags: ['previews'],
        summary: 'Run a spec into a temporary memory table; rows arrive on table:<table>',
        body: Type.Object(
          {
            spec: QuerySpec,
            maxRows: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
            maxSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 300 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ id: Type.String(), table: Type.String(), schema: Type.Array(ColumnView) }),
          400: ErrorBody,
          413: ErrorBody,
          422: ErrorBody,
          429: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { spec, maxRows = 1000, maxSeconds = 30 } = request.body;
      return reply.code(201).send(await app.queries.startPreview(spec, maxRows, maxSeconds));
    },
  );

  app.delete(
    '/api/previews/:id',
    {
      schema: {
        tags: ['previews'],
        summary: 'Stop a preview and drop its table',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      await app.queries.deletePreview(request.params.id);
      return reply.code(204).send(null);
    },
  );
};
