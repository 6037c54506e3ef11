import fp from 'fastify-plugin';
import { MemoryTables } from './memory-tables.js';
import { QueryMetrics } from './query-metrics.js';
import { QueryService } from './query-service.js';
import { QueryStore } from './query-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    queries: QueryService;
  }
}

export interface QueriesPluginOptions {
  dataDir: string;
  maxActiveQueries: number;
  progressRetention: number;
  memoryTableRows: number;
}

/**
 * The query service on the app: resumes the queries whose desired state is `running` once the app
 * is ready, and stops them all at a batch boundary when it closes (before the database closes).
 */
export const queriesPlugin = fp<QueriesPluginOptions>(
  async (app, options) => {
    const store = new QueryStore(app.database.db, options.progressRetention);
    const service = new QueryService({
      store,
      tables: new MemoryTables(options.memoryTableRows),
      io: app.io,
      log: app.log,
      dataDir: options.dataDir,
      bootstrap: app.kafka.bootstrap,
      maxActiveQueries: options.maxActiveQueries,
    });
    service.metrics = new QueryMetrics(
      app.metrics,
      () => service.activeCount(),
      () => store.deadLetterCounts(),
    );
    app.decorate('queries', service);
    app.addHook('onReady', async () => {
      await service.resumeAll();
    });
    // preClose runs before the onClose hooks that close the database and the broker.
    app.addHook('preClose', async () => {
      await service.close();
    });
  },
  { name: 'queries', dependencies: ['database', 'kafka', 'realtime', 'metrics'] },
);
