import { type DatabaseHandle, openDatabase } from '@sluice/db';
import fp from 'fastify-plugin';
import { Kafka, logLevel } from 'kafkajs';
import { DeadLetterArchiver } from './archiver.js';
import { DeadLetterService } from './service.js';
import { DeadLetterStore } from './store.js';

declare module 'fastify' {
  interface FastifyInstance {
    deadLetters: { service: DeadLetterService; archiver: DeadLetterArchiver | undefined };
  }
}

export interface DeadLetterOptions {
  /** Regex over whole topic names that the archiver reads (`SLUICE_DEAD_LETTER_TOPICS`). */
  topicPattern: string;
  /** Dead letters that failed longer ago than this are deleted (`SLUICE_DEAD_LETTER_RETENTION_DAYS`). */
  retentionMs: number;
  /** How often the retention purge runs (default hourly, and once at start). */
  purgeIntervalMs?: number;
  /** false: no archiver (the routes still work on what is archived). */
  archive?: boolean;
  /**
   * Another connection string for the archiver's writes only: lets tests put a TCP proxy they can cut
   * between the archiver and Postgres. Default: the server's database.
   */
  archiverDatabaseUrl?: string;
  /** The archiver's retry delays while Postgres is down. */
  backoff?: { initialMs: number; maxMs: number };
}

export interface DeadLetterPluginOptions extends DeadLetterOptions {
  dataDir: string;
}

/**
 * Dead letters: the archiver (a streaming query over the dead-letter topics, started when the app
 * is ready, stopped before the database and the broker close), the retention purge, and the service
 * behind the routes and the `dead-letters` room.
 */
export const deadLettersPlugin = fp<DeadLetterPluginOptions>(
  async (app, options) => {
    const kafka = new Kafka({
      clientId: 'sluice-server-dead-letters',
      brokers: [...app.kafka.bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 3 },
    });
    const service = new DeadLetterService({
      store: new DeadLetterStore(app.database.db),
      kafka,
      io: app.io,
      log: app.log,
    });
    let archiverDatabase: DatabaseHandle | undefined;
    let archiver: DeadLetterArchiver | undefined;
    if (options.archive !== false) {
      if (options.archiverDatabaseUrl) {
        archiverDatabase = await openDatabase({
          url: options.archiverDatabaseUrl,
          onConnectionError: (error) => app.log.warn({ err: error }, 'archiver database connection lost'),
        });
      }
      archiver = new DeadLetterArchiver({
        bootstrap: app.kafka.bootstrap,
        dataDir: options.dataDir,
        topicPattern: options.topicPattern,
        store: archiverDatabase
          ? new DeadLetterStore(archiverDatabase.db)
          : new DeadLetterStore(app.database.db),
        log: app.log,
        backoff: options.backoff,
        onArchived: (rows) => void service.published(rows),
      });
    }
    app.decorate('deadLetters', { service, archiver });

    const purge = () =>
      service.purgeOlderThan(options.retentionMs).then(
        (purged) => {
          if (purged > 0) app.log.info({ purged }, 'dead letters past their retention deleted');
        },
        (error: unknown) => app.log.warn({ err: error }, 'dead-letter retention purge failed'),
      );
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      archiver?.start();
      await purge();
      timer = setInterval(() => void purge(), options.purgeIntervalMs ?? 3600_000);
      timer.unref();
    });
    // preClose: the archiver stops before the database and the embedded broker close (onClose).
    app.addHook('preClose', async () => {
      clearInterval(timer);
      await archiver?.stop();
      await archiverDatabase?.close();
    });
  },
  { name: 'dead-letters', dependencies: ['database', 'kafka', 'realtime'] },
);
