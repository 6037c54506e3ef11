import { CompressionTypes, type Message, type Producer, type TopicMessages } from 'kafkajs';
import { AnalysisError, ExecutionError } from '../../errors.js';
import { boolOption, kafkaParams, validateProducerParams } from '../../sources/kafka/kafka-options.js';
import { kafkaClient } from '../../sources/kafka/kafka-source.js';
import { getOption } from '../../sources/source.js';
import { type DeadLetter, deadLetterPolicy, type SourceDeadLetters } from '../../streaming/dead-letters.js';
import type { DataType, Row, StructType } from '../../types/data-type.js';
import type { BatchWriter, Sink, SinkContext, SinkProvider } from '../sink.js';

function invalid(message: string): AnalysisError {
  return new AnalysisError('KAFKA_INVALID_OPTION', message);
}

/** Column positions of the sink's input (Spark's KafkaWriter.validateQuery). */
export interface KafkaWriteLayout {
  readonly topic: number;
  readonly key: number;
  readonly value: number;
  readonly partition: number;
  readonly headers: number;
}

const isStringOrBinary = (t: DataType) => t.kind === 'string' || t.kind === 'binary';

function isHeadersType(t: DataType): boolean {
  if (t.kind !== 'array' || t.elementType.kind !== 'struct') return false;
  const f = t.elementType.fields;
  return (
    f.length === 2 &&
    f[0]?.name === 'key' &&
    f[0].dataType.kind === 'string' &&
    f[1]?.name === 'value' &&
    f[1].dataType.kind === 'binary'
  );
}

/** Checks the schema with Spark's messages and finds the columns. */
export function kafkaWriteLayout(schema: StructType, topicOption: string | undefined): KafkaWriteLayout {
  const find = (name: string) => schema.fields.findIndex((f) => f.name.toLowerCase() === name);
  const topic = find('topic');
  const key = find('key');
  const value = find('value');
  const partition = find('partition');
  const headers = find('headers');
  if (topicOption === undefined) {
    if (topic < 0) {
      throw invalid(
        "topic option required when no 'topic' attribute is present. Use the topic option for setting a topic.",
      );
    }
    if (schema.fields[topic]?.dataType.kind !== 'string') throw invalid('Topic type must be a string');
  }
  if (key >= 0 && !isStringOrBinary((schema.fields[key] as { dataType: DataType }).dataType)) {
    throw invalid('key attribute type must be a string or binary');
  }
  if (value < 0) throw invalid("Required attribute 'value' not found");
  if (!isStringOrBinary((schema.fields[value] as { dataType: DataType }).dataType)) {
    throw invalid('value attribute type must be a string or binary');
  }
  if (partition >= 0 && (schema.fields[partition] as { dataType: DataType }).dataType.kind !== 'int') {
    throw invalid('partition attribute type must be an int');
  }
  if (headers >= 0 && !isHeadersType((schema.fields[headers] as { dataType: DataType }).dataType)) {
    throw invalid('headers attribute type must be an array<struct<key:string,value:binary>>');
  }
  return { topic: topicOption === undefined ? topic : -1, key, value, partition, headers };
}

function toBuffer(v: unknown): Buffer | string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array)
    return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return String(v);
}

/** A record the sink cannot write (Spark's producer fails the task with it). */
export type RejectRecord = (row: Row, message: Message, topic: string | null, error: Error) => void;

/** Bytes of a value as the producer serializes it. */
function byteLength(v: Buffer | string | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'string' ? Buffer.byteLength(v) : v.byteLength;
}

/** At most 3 UTF-8 bytes per UTF-16 unit: a bound found without scanning the string. */
function byteLengthBound(v: Buffer | string | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'string' ? 3 * v.length : v.byteLength;
}

/**
 * The serialized size of a record, as the Java producer bounds it before sending
 * (AbstractRecords.estimateSizeInBytesUpperBound: record batch header, record overhead, key, value
 * and headers), with `bytes` measuring each part.
 */
function recordSize(m: Message, bytes: (v: Buffer | string | null | undefined) => number): number {
  let size = 61 + 21 + bytes(m.key) + bytes(m.value as Buffer | string | null) + 5;
  if (m.headers) {
    for (const [k, v] of Object.entries(m.headers)) {
      for (const x of Array.isArray(v) ? v : [v]) size += 10 + bytes(k) + bytes(x as Buffer | string);
    }
  }
  return size;
}

/** `recordSize` with exact UTF-8 lengths. */
export function recordSizeUpperBound(m: Message): number {
  return recordSize(m, byteLength);
}

/**
 * Producer messages grouped by topic, in row order. A row without a topic, or a record larger than
 * `maxRequestSize`, fails like Spark's sink — or, with `reject`, is handed to it and skipped.
 */
export function toTopicMessages(
  rows: readonly Row[],
  layout: KafkaWriteLayout,
  topicOption: string | undefined,
  maxRequestSize = Number.POSITIVE_INFINITY,
  reject?: RejectRecord,
): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  // Consecutive rows mostly share their topic (always, with the topic option).
  let lastTopic: string | undefined;
  let lastList: Message[] | undefined;
  for (const row of rows) {
    const topic = topicOption ?? (row[layout.topic] as string | null);
    const m: Message = { value: toBuffer(row[layout.value]) };
    if (layout.key >= 0) m.key = toBuffer(row[layout.key]);
    if (layout.partition >= 0) {
      const p = row[layout.partition];
      if (p !== null && p !== undefined) m.partition = p as number;
    }
    if (layout.headers >= 0) {
      const hs = row[layout.headers] as unknown[][] | null;
      if (hs && hs.length > 0) {
        const h: Record<string, Buffer | string | (Buffer | string)[]> = {};
        for (const pair of hs) {
          const k = pair[0] as string;
          const v = toBuffer(pair[1]) ?? Buffer.alloc(0);
          const prev = h[k];
          if (prev === undefined) h[k] = v;
          else if (Array.isArray(prev)) prev.push(v);
          else h[k] = [prev, v];
        }
        m.headers = h;
      }
    }
    if (topic === null || topic === undefined) {
      const e = new ExecutionError(
        'KAFKA_NULL_TOPIC_IN_DATA',
        'null topic present in the data. Use the topic option for setting a topic.',
      );
      if (!reject) throw e;
      reject(row, m, null, e);
      continue;
    }
    // Most records fit even at 3 bytes per character: their strings are not scanned for the exact size.
    const size = recordSize(m, byteLengthBound) <= maxRequestSize ? 0 : recordSizeUpperBound(m);
    if (size > maxRequestSize) {
      const e = new ExecutionError(
        'KAFKA_RECORD_TOO_LARGE',
        `The message is ${size} bytes when serialized which is larger than ${maxRequestSize}, which is the value of the max.request.size configuration.`,
      );
      if (!reject) throw e;
      reject(row, m, topic, e);
      continue;
    }
    if (topic !== lastTopic) {
      lastTopic = topic;
      lastList = byTopic.get(topic);
      if (!lastList) {
        lastList = [];
        byTopic.set(topic, lastList);
      }
    }
    lastList!.push(m);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

const CHUNK = 10_000;
/**
 * Chunks sent and not yet acknowledged, per batch, by the at-least-once sink (the Java producer's
 * max.in.flight.requests.per.connection): the engine goes on with the next chunk while the broker
 * takes the last one.
 */
const MAX_CHUNKS_IN_FLIGHT = 5;

/**
 * The topic whose (single) partition the exactly-once sink commits its last written batch id to,
 * as a consumer-group offset inside each batch's transaction.
 */
export const SINK_COMMITS_TOPIC = '_sluice_sink_commits';

/**
 * Spark's Kafka sink: at-least-once (a batch re-run after a failure is written again). Each batch
 * goes out with `sendBatch` in chunks of up to 10,000 messages, acks=all unless `kafka.acks` says
 * otherwise; up to 5 chunks are in flight while the batch goes on (one with idempotence or a
 * transaction), and the batch commits only when every chunk is acknowledged — a failed send fails it.
 *
 * Beyond Spark, exactly-once (`exactlyOnce=true`, or an explicit `kafka.transactional.id`): each batch
 * is written in one Kafka transaction whose transactional id is fenced by the query id
 * (`sluice-<queryId>`), and the transaction also commits the batch id as the offset of consumer group
 * `sluice-sink-<transactional id>` on `_sluice_sink_commits`. A batch re-run after a crash between
 * Kafka's commit and the checkpoint's is recognised and skipped, so `read_committed` consumers see
 * every row once; a crash before Kafka's commit aborts the transaction (the next producer with the
 * same id fences and aborts it).
 */
export class KafkaSink implements Sink {
  readonly description: string;
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;
  private readonly layout: KafkaWriteLayout;
  private readonly topicOption: string | undefined;
  private readonly acks: number;
  private readonly compression: CompressionTypes;
  private written = 0;
  /** Set for the exactly-once sink. */
  private readonly transactionalId: string | undefined;
  /** Idempotent producer (the exactly-once sink, or `kafka.enable.idempotence`): one chunk in flight. */
  private readonly idempotent: boolean;
  /** Last batch id committed to Kafka by this sink's transactions (-1: none); loaded lazily. */
  private lastCommitted: number | undefined;
  /** `kafka.max.request.size` (the Java producer's default 1 MiB): larger records are rejected. */
  private readonly maxRequestSize: number;
  /** Set when the query dead-letters or drops: rejected records are collected, not thrown. */
  private readonly reject: RejectRecord | undefined;
  private rejected: DeadLetter[] = [];
  /** Without a transaction, no write depends on the batch id (see Sink.atLeastOnce). */
  readonly atLeastOnce: boolean;
  /** Trigger.Continuous: the open epoch's writer, from its first rows to the epoch's `addBatch`. */
  private epochWriter: { epochId: number; writer: BatchWriter } | undefined;

  constructor(
    private readonly options: Readonly<Record<string, string>>,
    schema: StructType,
    queryId = '',
  ) {
    validateProducerParams(options);
    this.topicOption = getOption(options, 'topic')?.trim();
    this.layout = kafkaWriteLayout(schema, this.topicOption);
    const params = kafkaParams(options);
    this.transactionalId = transactionalIdOf(options, queryId);
    this.atLeastOnce = this.transactionalId === undefined;
    this.idempotent =
      this.transactionalId !== undefined ||
      (params.get('enable.idempotence') ?? 'false').toLowerCase() === 'true';
    const acks = (params.get('acks') ?? 'all').toLowerCase();
    this.acks = acks === 'all' || acks === '-1' ? -1 : Number(acks);
    if (![-1, 0, 1].includes(this.acks)) throw invalid(`Invalid value ${acks} for configuration acks`);
    if (this.transactionalId !== undefined && this.acks !== -1) {
      throw invalid('Must set acks to all in order to use the exactly-once (transactional) Kafka sink.');
    }
    const comp = (params.get('compression.type') ?? 'none').toLowerCase();
    this.compression = comp === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    if (comp !== 'none' && comp !== 'gzip') {
      throw invalid(`Unsupported compression.type ${comp}: kafkajs supports none and gzip without codecs`);
    }
    this.maxRequestSize = Number(params.get('max.request.size') ?? 1_048_576);
    if (!(this.maxRequestSize > 0))
      throw invalid(`Invalid value ${params.get('max.request.size')} for configuration max.request.size`);
    if (deadLetterPolicy(options, null, queryId).onError !== 'fail') {
      this.reject = (_row, m, topic, error) => {
        const headers: { key: string; value: Buffer | null }[] = [];
        for (const [k, v] of Object.entries(m.headers ?? {}))
          for (const x of Array.isArray(v) ? v : [v])
            headers.push({ key: k, value: x === undefined ? null : Buffer.from(x as Buffer | string) });
        const asBuffer = (v: unknown) =>
          v === null || v === undefined ? null : Buffer.from(v as Buffer | string);
        this.rejected.push({
          key: asBuffer(m.key),
          value: asBuffer(m.value),
          headers,
          timestamp: Date.now(),
          // Stage sink names the destination: the topic the record was for, its partition if set.
          topic: topic ?? '',
          partition: typeof m.partition === 'number' ? m.partition : -1,
          offset: -1,
          stage: 'sink',
          error,
        });
      };
    }
    this.description = `KafkaSink[${this.topicOption === undefined ? 'topic column' : `topic=${this.topicOption}`}]`;
  }

  private get commitGroup(): string {
    return `sluice-sink-${this.transactionalId}`;
  }

  private async getProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.connecting ??= (async () => {
      const transactional = this.transactionalId !== undefined;
      const p = kafkaClient(this.options, 'producer').producer({
        idempotent: this.idempotent,
        allowAutoTopicCreation: true,
        ...(this.idempotent ? { maxInFlightRequests: 1 } : {}),
        ...(transactional ? { transactionalId: this.transactionalId } : {}),
      });
      await p.connect();
      this.producer = p;
      return p;
    })();
    return this.connecting;
  }

  /** The batch id last committed by this sink's transactions (from the commit group's offset). */
  async latestCommittedBatchId(): Promise<number | undefined> {
    if (this.transactionalId === undefined) return undefined;
    if (this.lastCommitted === undefined) {
      const admin = kafkaClient(this.options, 'producer').admin();
      await admin.connect();
      try {
        await admin
          .createTopics({ topics: [{ topic: SINK_COMMITS_TOPIC, numPartitions: 1 }], waitForLeaders: true })
          .catch(() => false); // already there
        const [entry] = await admin.fetchOffsets({ groupId: this.commitGroup, topics: [SINK_COMMITS_TOPIC] });
        const offset = Number(entry?.partitions.find((p) => p.partition === 0)?.offset ?? -1);
        this.lastCommitted = offset > 0 ? offset - 1 : -1;
      } finally {
        await admin.disconnect();
      }
    }
    return this.lastCommitted >= 0 ? this.lastCommitted : undefined;
  }

  /** The messages of a chunk; rejected records go to `rejected` (dead-lettering) or throw. */
  private messages(chunk: readonly Row[]): TopicMessages[] {
    return toTopicMessages(chunk, this.layout, this.topicOption, this.maxRequestSize, this.reject);
  }

  takeDeadLetters(): SourceDeadLetters {
    const letters = this.rejected;
    this.rejected = [];
    return { letters, kafkaOptions: this.options };
  }

  /**
   * Trigger.Continuous: each group of rows is sent as it comes, without waiting for the broker, into
   * the epoch's writer (at least once, as Spark's continuous Kafka writer); the epoch's `addBatch`
   * waits until every record of the epoch is acknowledged, before the epoch commits.
   */
  async writeContinuous(epochId: number, rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.epochWriter && this.epochWriter.epochId !== epochId) await this.commitEpoch();
    this.epochWriter ??= { epochId, writer: await this.openBatch(epochId) };
    const { writer } = this.epochWriter;
    try {
      await writer.write(rows);
    } catch (err) {
      this.epochWriter = undefined;
      await writer.abort().catch(() => undefined);
      throw err;
    }
  }

  private async commitEpoch(): Promise<void> {
    const open = this.epochWriter;
    if (!open) return;
    this.epochWriter = undefined;
    try {
      await open.writer.commit();
    } catch (err) {
      await open.writer.abort().catch(() => undefined);
      throw err;
    }
  }

  /** `addBatch` is the chunked writer over one chunk: one write path for both. */
  async addBatch(batchId: number, rows: Row[]): Promise<void> {
    if (this.epochWriter?.epochId === batchId) await this.commitEpoch();
    if (rows.length === 0 && this.transactionalId === undefined) return;
    const writer = await this.openBatch(batchId);
    try {
      await writer.write(rows);
      await writer.commit();
    } catch (err) {
      await writer.abort().catch(() => undefined);
      throw err;
    }
  }

  /**
   * The batch in chunks (docs/decisions/0002): each chunk is sent as it comes, inside the batch's
   * transaction for the exactly-once sink (a batch Kafka already committed is skipped whole).
   */
  async openBatch(batchId: number): Promise<BatchWriter> {
    this.rejected = [];
    const transactional = this.transactionalId !== undefined;
    if (transactional) {
      await this.latestCommittedBatchId();
      if (batchId <= (this.lastCommitted ?? -1)) {
        // Written by a run that crashed before its checkpoint commit: nothing to write again.
        return { write: async () => {}, commit: async () => {}, abort: async () => {} };
      }
    }
    const producer = await this.getProducer();
    const txn = transactional ? await producer.transaction() : undefined;
    const send = txn ?? producer;
    const maxInFlight = this.idempotent ? 1 : MAX_CHUNKS_IN_FLIGHT;
    const inFlight = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    const settle = async () => {
      await Promise.all(inFlight);
      if (failure) throw failure.error;
    };
    let written = 0;
    return {
      write: async (rows) => {
        for (let i = 0; i < rows.length; i += CHUNK) {
          const topicMessages = this.messages(
            i === 0 && rows.length <= CHUNK ? rows : rows.slice(i, i + CHUNK),
          );
          if (topicMessages.length === 0) continue;
          const sent: Promise<void> = send
            .sendBatch({ topicMessages, acks: txn ? -1 : this.acks, compression: this.compression })
            .then(
              () => {
                inFlight.delete(sent);
              },
              (error: unknown) => {
                inFlight.delete(sent);
                failure ??= { error };
              },
            );
          inFlight.add(sent);
          if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
          if (failure) throw failure.error;
        }
        written += rows.length;
      },
      commit: async () => {
        await settle();
        if (txn) {
          await txn.sendOffsets({
            consumerGroupId: this.commitGroup,
            topics: [
              { topic: SINK_COMMITS_TOPIC, partitions: [{ partition: 0, offset: String(batchId + 1) }] },
            ],
          });
          await txn.commit();
          this.lastCommitted = batchId;
        }
        this.written += written - this.rejected.length;
      },
      abort: async () => {
        await Promise.all(inFlight);
        await txn?.abort();
      },
    };
  }

  metrics(): Record<string, string> {
    return {
      recordsWritten: String(this.written),
      ...(this.transactionalId !== undefined ? { transactionalId: this.transactionalId } : {}),
    };
  }

  async stop(): Promise<void> {
    // An epoch the query did not commit: its sends settle before the producer goes.
    const open = this.epochWriter;
    this.epochWriter = undefined;
    await open?.writer.abort().catch(() => undefined);
    const p = this.producer ?? (this.connecting ? await this.connecting.catch(() => undefined) : undefined);
    this.producer = undefined;
    this.connecting = undefined;
    if (p) await p.disconnect();
  }
}

/** The exactly-once sink's transactional id (`kafka.transactional.id`, or one per query with `exactlyOnce`). */
function transactionalIdOf(options: Readonly<Record<string, string>>, queryId: string): string | undefined {
  return (
    kafkaParams(options).get('transactional.id') ??
    (boolOption(options, 'exactlyOnce', false) ? `sluice-${queryId}` : undefined)
  );
}

/** `writeStream.format('kafka')`. */
export const kafkaSinkProvider: SinkProvider = {
  format: 'kafka',
  supportsContinuous: true,
  continuousRefusal(options) {
    return transactionalIdOf(options, '') === undefined
      ? undefined
      : 'The exactly-once Kafka sink (exactlyOnce or kafka.transactional.id) does not support continuous processing.';
  },
  supportsAsyncProgressTracking: true,
  asyncProgressTrackingRefusal(options) {
    // A batch re-run after a crash covers every batch since the last offsets entry on disk under
    // one batch id: the transactions of the batches in between would be written twice.
    return transactionalIdOf(options, '') === undefined
      ? undefined
      : 'The exactly-once Kafka sink (exactlyOnce or kafka.transactional.id) does not support async progress tracking.';
  },
  supportedOutputModes: ['append', 'update', 'complete'],
  validate(options) {
    validateProducerParams(options);
  },
  createSink(ctx: SinkContext) {
    return new KafkaSink(ctx.options, ctx.schema, ctx.queryId);
  },
};
