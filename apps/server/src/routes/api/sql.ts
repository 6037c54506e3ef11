import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { ColumnView, ErrorBody, JsonRow, MAX_SQL_LENGTH } from '../../queries/schemas.js';

/** Row and time limits of `POST /api/sql` (docs/server-api.md). */
export const SQL_LIMITS = {
  defaultRows: 1000,
  maxRows: 10_000,
  defaultTimeoutMs: 30_000,
  minTimeoutMs: 100,
  maxTimeoutMs: 300_000,
} as const;

/** Ad-hoc read-only Spark SQL over the memory tables. */
export const sqlRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/sql',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Run one read-only Spark SQL query over the memory tables (each a temp view)',
        body: Type.Object(
          {
            sql: Type.String({ minLength: 1, maxLength: MAX_SQL_LENGTH }),
            limit: Type.Optional(
              Type.Integer({ minimum: 1, maximum: SQL_LIMITS.maxRows, default: SQL_LIMITS.defaultRows }),
            ),
            timeoutMs: Type.Optional(
              Type.Integer({
                minimum: SQL_LIMITS.minTimeoutMs,
                maximum: SQL_LIMITS.maxTimeoutMs,
                default: SQL_LIMITS.defaultTimeoutMs,
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            schema: Type.Array(ColumnView),
            rows: Type.Array(JsonRow),
            rowCount: Type.Integer(),
            truncated: Type.Boolean({ description: 'the query had more rows than `limit`' }),
            elapsedMs: Type.Integer(),
          }),
          400: ErrorBody,
          408: ErrorBody,
          413: ErrorBody,
          422: ErrorBody,
          429: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request) => {
      const { sql, limit = SQL_LIMITS.defaultRows, timeoutMs = SQL_LIMITS.defaultTimeoutMs } = request.body;
      const answer = await app.sql.run(sql, limit, timeoutMs);
      return { ...answer, rowCount: answer.rows.length };
    },
  );
};
