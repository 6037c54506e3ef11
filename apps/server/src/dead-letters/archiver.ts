import { join } from 'node:path';
import { type DataFrame, Session, type StreamingQuery } from '@sluice/engine';
import type { FastifyBaseLogger } from 'fastify';
import { type DeadLetterRecord, deadLetterRow } from './contract.js';
import type { DeadLetterSummary } from './schemas.js';
import type { DeadLetterStore } from './store.js';

/** The archiver's streaming query name; its checkpoint lives under `$SLUICE_DATA_DIR/checkpoints/<name>`. */
export const ARCHIVER_QUERY_NAME = '_sluice_dead_letter_archiver';

export interface ArchiverOptions {
  readonly bootstrap: readonly string[];
  readonly dataDir: string;
  /** Regex over whole topic names (Spark's `subscribePattern`); default `.*\.dlq`. */
  readonly topicPattern: string;
  /** Where the archived rows go (the server's database, or another handle in tests). */
  readonly store: DeadLetterStore;
  readonly log: FastifyBaseLogger;
  /** Called on the main thread with the rows each batch added (not the ones already there). */
  readonly onArchived: (rows: DeadLetterSummary[]) => void;
  /** Retry delays while Postgres (or Kafka) fails: starts at `initialMs`, doubles up to `maxMs`. */
  readonly backoff?: { initialMs: number; maxMs: number };
}

const MAX_ROWS_PER_BATCH = 2000;
const STOP_WAIT_MS = 2000;

class ArchiverStopping extends Error {}

/**
 * Archives every dead-letter topic into `dead_letters` — a Sluice streaming query itself: the Kafka
 * source subscribed by pattern (topics created later are picked up, from their first offset),
 * `foreachBatch` writing each batch with ON CONFLICT DO NOTHING, and a checkpoint of its own.
 *
 * Exactly-once into Postgres without a transaction spanning Kafka: a batch commits in the
 * checkpoint only after its rows are in Postgres, and rows already there (a batch re-run after a
 * crash) are skipped by the unique (dlq topic, partition, offset). While Postgres is unreachable
 * the batch's write is retried with backoff, so the query simply does not advance; the queries that
 * dead-letter records only write to Kafka and are not held up. If the query itself fails (the Kafka
 * cluster gone), it is started again from its checkpoint after a backoff.
 *
 * It runs on the main thread, unlike user queries (docs/decisions/0001): it runs no user code, its
 * work per record is a header decode, and with the embedded PGlite only the main thread holds the
 * database.
 */
export class DeadLetterArchiver {
  private query: StreamingQuery | undefined;
  private stopping = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly backoff: { initialMs: number; maxMs: number };
  /** Consecutive failed writes (0 when the last one succeeded); for /readyz-style reporting and tests. */
  failures = 0;

  constructor(private readonly options: ArchiverOptions) {
    this.backoff = options.backoff ?? { initialMs: 250, maxMs: 10_000 };
  }

  get checkpointLocation(): string {
    return join(this.options.dataDir, 'checkpoints', ARCHIVER_QUERY_NAME);
  }

  /** Starts the query (and keeps it running until `stop`). */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.supervise();
  }

  /**
   * Stops after the batch in flight (a batch waiting for Postgres gives up; it is re-run at the next
   * start). Waits at most STOP_WAIT_MS: a query stuck reaching an unreachable Kafka cluster (kafkajs
   * retries for about 20 s) must not hold up the server's shutdown. Leaving it is safe: a batch that
   * did not finish is not committed in the checkpoint, runs again at the next start, and its rows
   * already in Postgres are skipped.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    const stopped = (async () => {
      await this.query?.stop().catch(() => {});
      await this.running;
    })();
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.options.log.warn('dead-letter archiver did not stop in time; leaving it behind');
        resolve();
      }, STOP_WAIT_MS);
    });
    await Promise.race([stopped, gaveUp]);
    clearTimeout(timer);
    this.running = undefined;
  }

  private async supervise(): Promise<void> {
    let attempt = 0;
    while (!this.stopping) {
      try {
        const query = this.startQuery();
        this.query = query;
        await query.awaitTermination();
        if (this.stopping) return;
        attempt = 0;
      } catch (error) {
        if (this.stopping) return;
        this.options.log.warn({ err: error }, 'dead-letter archiver stopped; restarting from its checkpoint');
      } finally {
        this.query = undefined;
      }
      await this.sleep(this.delay(attempt++));
    }
  }

  private startQuery(): StreamingQuery {
    const session = Session.builder().appName(ARCHIVER_QUERY_NAME).create();
    const records: DataFrame = session.readStream
      .format('kafka')
      .option('kafka.bootstrap.servers', this.options.bootstrap.join(','))
      .option('subscribePattern', this.options.topicPattern)
      .option('startingOffsets', 'earliest')
      .option('includeHeaders', 'true')
      // Dead letters removed by the topic's retention before they were archived are gone either
      // way; the archiver keeps archiving the rest instead of failing for good.
      .option('failOnDataLoss', 'false')
      .option('groupIdPrefix', ARCHIVER_QUERY_NAME)
      // One INSERT per batch: 2 000 rows × 20 columns stays under Postgres's 65 535 parameters.
      .option('maxOffsetsPerTrigger', String(MAX_ROWS_PER_BATCH))
      .load();
    return records.writeStream
      .queryName(ARCHIVER_QUERY_NAME)
      .option('checkpointLocation', this.checkpointLocation)
      .foreachBatch(async (batch: DataFrame) => {
        const rows = (await batch.collect()).map((r) =>
          deadLetterRow(r.asDict(true) as unknown as DeadLetterRecord),
        );
        if (rows.length === 0) return;
        const inserted = await this.writeWithRetry(() => this.options.store.insert(rows));
        if (inserted.length > 0) this.options.onArchived(inserted);
      })
      .start();
  }

  private async writeWithRetry<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (this.stopping) throw new ArchiverStopping('the archiver is stopping');
      try {
        const result = await write();
        this.failures = 0;
        return result;
      } catch (error) {
        this.failures++;
        const delay = this.delay(attempt);
        this.options.log.warn(
          { err: error, attempt: attempt + 1, retryInMs: delay },
          'dead-letter archiver cannot write to Postgres; retrying',
        );
        await this.sleep(delay);
      }
    }
  }

  private delay(attempt: number): number {
    return Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** Math.min(attempt, 20));
  }

  /** A sleep that `stop()` cuts short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
