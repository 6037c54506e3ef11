import { fileURLToPath } from 'node:url';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { type DeadLetterOptions, deadLettersPlugin } from './dead-letters/plugin.js';
import { deadLetterRoutes } from './dead-letters/routes.js';
import { DEAD_LETTER_DEFAULTS, QUERY_LIMIT_DEFAULTS, type ServerEnv } from './env.js';
import { installErrorHandler } from './error-handler.js';
import { authPlugin } from './plugins/auth.js';
import { databasePlugin } from './plugins/database.js';
import { kafkaPlugin } from './plugins/kafka.js';
import { metricsPlugin } from './plugins/metrics.js';
import { realtimePlugin } from './plugins/realtime.js';
import { webPlugin } from './plugins/web.js';
import { queriesPlugin } from './queries/plugin.js';
import { catalogRoutes } from './routes/api/catalog.js';
import { queryRoutes } from './routes/api/queries.js';
import { sqlRoutes } from './routes/api/sql.js';
import { versionRoutes } from './routes/api/version.js';
import { healthRoutes } from './routes/health.js';
import { sqlPlugin } from './sql/plugin.js';
import { topicsPlugin } from './topics/plugin.js';
import { topicRoutes } from './topics/routes.js';
import { SERVER_VERSION } from './version.js';

export type AppConfig = Pick<
  ServerEnv,
  'databaseUrl' | 'dataDir' | 'kafkaBrokers' | 'embeddedBrokerPort' | 'apiToken' | 'logLevel'
> &
  Partial<
    Pick<ServerEnv, 'maxActiveQueries' | 'progressRetention' | 'memoryTableRows' | 'kafkaClientOptions'>
  > & {
    /** Directory of the built dashboard; defaults to apps/web/dist. */
    webRoot?: string;
    /** The archiver and retention (defaults: SLUICE_DEAD_LETTER_TOPICS / _RETENTION_DAYS defaults). */
    deadLetters?: Partial<DeadLetterOptions>;
  };

/** Ad-hoc SQL: queries at once (one more answers 429) and each worker's heap (docs/server-api.md). */
export const SQL_WORKERS = { maxConcurrent: 4, heapLimitMb: 512 } as const;

/** Request bodies over 1 MiB answer 413 (docs/server-api.md). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export const defaultWebRoot = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Builds the whole server as one Fastify instance; `server.ts` only listens, tests use `inject()` or listen on port 0. */
export async function buildApp(config: AppConfig): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel },
    ajv: { customOptions: { allErrors: false, removeAdditional: false } },
    bodyLimit: BODY_LIMIT_BYTES,
  }).withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Sluice API',
        description: 'Structured streaming for TypeScript',
        version: SERVER_VERSION,
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(metricsPlugin);
  await app.register(authPlugin, { apiToken: config.apiToken });
  await app.register(databasePlugin, { databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await app.register(kafkaPlugin, {
    brokers: config.kafkaBrokers,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedBrokerPort,
    clientOptions: config.kafkaClientOptions ?? {},
  });
  await app.register(realtimePlugin, { apiToken: config.apiToken });
  await app.register(queriesPlugin, {
    dataDir: config.dataDir,
    maxActiveQueries: config.maxActiveQueries ?? QUERY_LIMIT_DEFAULTS.maxActiveQueries,
    progressRetention: config.progressRetention ?? QUERY_LIMIT_DEFAULTS.progressRetention,
    memoryTableRows: config.memoryTableRows ?? QUERY_LIMIT_DEFAULTS.memoryTableRows,
  });
  await app.register(sqlPlugin, {
    maxConcurrent: SQL_WORKERS.maxConcurrent,
    heapLimitMb: SQL_WORKERS.heapLimitMb,
  });
  await app.register(topicsPlugin);
  await app.register(deadLettersPlugin, {
    dataDir: config.dataDir,
    topicPattern: DEAD_LETTER_DEFAULTS.topics,
    retentionMs: DEAD_LETTER_DEFAULTS.retentionDays * 86_400_000,
    ...config.deadLetters,
  });
  await app.register(healthRoutes);
  await app.register(versionRoutes);
  await app.register(queryRoutes);
  await app.register(catalogRoutes);
  await app.register(sqlRoutes);
  await app.register(topicRoutes);
  await app.register(deadLetterRoutes);
  await app.register(webPlugin, { root: config.webRoot ?? defaultWebRoot });
  return app;
}
