import fp from 'fastify-plugin';
import { SqlRunner } from './sql-runner.js';

declare module 'fastify' {
  interface FastifyInstance {
    sql: SqlRunner;
  }
}

export interface SqlPluginOptions {
  maxConcurrent: number;
  heapLimitMb: number;
}

/** Ad-hoc SQL over the memory tables of the query service; its workers end when the app closes. */
export const sqlPlugin = fp<SqlPluginOptions>(
  async (app, options) => {
    const runner = new SqlRunner({ tables: app.queries.tables, ...options });
    app.decorate('sql', runner);
    app.addHook('preClose', () => runner.close());
  },
  { name: 'sql', dependencies: ['queries'] },
);
