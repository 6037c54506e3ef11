import { join } from 'node:path';
import { type DatabaseHandle, openDatabase } from '@sluice/db';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    database: DatabaseHandle;
  }
}

export interface DatabasePluginOptions {
  databaseUrl: string | undefined;
  dataDir: string;
}

/** Opens Postgres (DATABASE_URL) or the embedded PGlite, applies migrations, closes on shutdown. */
export const databasePlugin = fp<DatabasePluginOptions>(
  async (app, options) => {
    const onConnectionError = (error: Error) => app.log.warn({ err: error }, 'database connection lost');
    const handle = await openDatabase(
      options.databaseUrl
        ? { url: options.databaseUrl, onConnectionError }
        : { dataDir: join(options.dataDir, 'pglite'), onConnectionError },
    );
    app.log.info({ kind: handle.kind }, 'database ready');
    app.decorate('database', handle);
    app.addHook('onClose', () => handle.close());
  },
  { name: 'database' },
);
