import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startBroker } from '@sluice/broker';
import { startApacheKafka } from '@sluice/broker/testing/apache-kafka';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { Session } from '../../../session/session.js';
import '../../../streaming/index.js';
import type { DataStreamReader } from '../../../streaming/data-stream-reader.js';
import type { StreamingQuery } from '../../../streaming/streaming-query.js';
import { waitFor } from '../../../streaming/test-support/wait-for.js';

/** Which Kafka a test file runs against: the embedded broker, or Apache Kafka itself (the reference). */
export type KafkaUnderTest = 'embedded' | 'apache-kafka';

let kafkaUnderTest: KafkaUnderTest = 'embedded';

/**
 * Runs the Kafka test files imported after this call against `kind`: a one-line test file sets
 * 'apache-kafka' and imports a suite, so the same tests prove both brokers.
 */
export function runAgainst(kind: KafkaUnderTest): void {
  kafkaUnderTest = kind;
}

interface TestBroker {
  readonly bootstrap: string;
  stop(): Promise<void>;
}

export interface KafkaTestEnv {
  /** The broker of this test file (port 0, its own temp dir), embedded or Apache Kafka. */
  readonly broker: { readonly bootstrap: string };
  readonly kind: KafkaUnderTest;
  /** A kafkajs client for producing and reading back test data. */
  readonly kafka: Kafka;
  /** The file's temp dir (checkpoints and sinks go below it). */
  readonly dir: string;
  session(): Session;
  /** A name unique within the file: topics, queries, groups. */
  uniq(prefix: string): string;
  createTopic(topic: string, numPartitions?: number): Promise<void>;
  /** `readStream` of the Kafka source subscribed to `topic` on this broker (more options chain on). */
  readTopic(session: Session, topic: string): DataStreamReader;
  /** Registers a started query so it is stopped after the test. */
  track(query: StreamingQuery): StreamingQuery;
}

/**
 * Hooks of a Kafka test file: one real broker over TCP for the file, queries stopped after each
 * test, everything removed afterwards. Call at the top level of the test file.
 */
export function useKafkaTestEnv(name: string): KafkaTestEnv {
  let broker: TestBroker | undefined;
  const kind = kafkaUnderTest;
  let kafka: Kafka | undefined;
  let dir: string | undefined;
  let n = 0;
  const started: StreamingQuery[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `sluice-${name}-`));
    broker =
      kind === 'apache-kafka'
        ? await startApacheKafka()
        : await startBroker({ port: 0, dataDir: path.join(dir, 'broker'), groupInitialRebalanceDelayMs: 0 });
    kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'test', logLevel: logLevel.NOTHING });
  }, 180_000); // Apache Kafka: a JVM start, and on a fresh machine the jars' first download
  afterEach(async () => {
    for (const q of started.splice(0)) await q.stop();
  });
  afterAll(async () => {
    await broker?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const env: KafkaTestEnv = {
    kind,
    get broker() {
      if (!broker) throw new Error('the broker starts in beforeAll');
      return broker;
    },
    get kafka() {
      if (!kafka) throw new Error('the broker starts in beforeAll');
      return kafka;
    },
    get dir() {
      if (!dir) throw new Error('the temp dir is made in beforeAll');
      return dir;
    },
    session: () => Session.builder().appName(`${name}-test`).create(),
    uniq: (prefix) => `${prefix}-${++n}`,
    async createTopic(topic, numPartitions = 1) {
      const admin = env.kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions }] });
      await admin.disconnect();
    },
    readTopic: (session, topic) =>
      session.readStream
        .format('kafka')
        .option('kafka.bootstrap.servers', env.broker.bootstrap)
        .option('subscribe', topic),
    track(query) {
      started.push(query);
      return query;
    },
  };
  return env;
}

/** Sends `messages` to `topic` and waits for all in-sync replicas (acks -1). */
export async function produceMessages(kafka: Kafka, topic: string, messages: Message[]): Promise<void> {
  const p = kafka.producer();
  await p.connect();
  await p.send({ topic, messages, acks: -1 });
  await p.disconnect();
}

/** Sends one record per value to `topic`. */
export function produceValues(kafka: Kafka, topic: string, values: string[]): Promise<void> {
  return produceMessages(
    kafka,
    topic,
    values.map((value) => ({ value })),
  );
}

/** Waits until `cond` holds; fails naming `what` after `ms` (the streaming tests' `waitFor`). */
export function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  return waitFor(cond, ms, what);
}
