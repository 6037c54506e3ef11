import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { AnalysisError, StreamingQueryError } from '../../errors.js';
import { writeFileAtomic } from '../../streaming/checkpoint/atomic-file.js';
import { corruptLogError, stripVersion } from '../../streaming/checkpoint/metadata-log.js';
import { chunkRows } from '../../streaming/chunks.js';
import type { Row, StructType } from '../../types/data-type.js';
import {
  getOption,
  type MicroBatchStream,
  type Offset,
  type ReadLimit,
  readAllAvailable,
  type SourceContext,
  type SourceProvider,
} from '../source.js';
import { kafkaClientConfig } from './kafka-client-config.js';
import { KafkaFetcher, type PartitionRange } from './kafka-fetcher.js';
import {
  boolOption,
  type ConsumerStrategy,
  checkCrcs,
  cloneOffsets,
  getOffset,
  KAFKA_SCHEMA,
  KAFKA_SCHEMA_WITH_HEADERS,
  kafkaParams,
  offsetsFromValue,
  offsetsToJson,
  type PartitionOffsets,
  parseStartingOffsets,
  parseStrategy,
  positiveLong,
  rateLimit,
  type StartingOffsets,
  setOffset,
  strategyDescription,
  unknownSourceOptionWarnings,
  validateConsumerParams,
} from './kafka-options.js';
import { ParsedValueStream, parsedValueSchema, valueFormatOf } from './value-format.js';

const DATA_LOSS_FAIL =
  'Some data may have been lost because they are not available in Kafka any more; either the data was aged out by Kafka or the topic may have been deleted before all the data in the topic was processed. If you want your streaming query to continue on such cases, set the source option "failOnDataLoss" to "false".';
const DATA_LOSS_WARN =
  'Some data may have been lost because they are not available in Kafka any more; either the data was aged out by Kafka or the topic may have been deleted before all the data in the topic was processed. If you don\'t want your streaming query to fail on such cases, set the source option "failOnDataLoss" to "true".';

const TOPIC_LIST_TTL_MS = 1000;

/** Earliest and latest offsets of every current partition. */
interface PartitionBounds {
  readonly earliest: PartitionOffsets;
  readonly latest: PartitionOffsets;
}

export interface KafkaStreamOptions {
  readonly strategy: ConsumerStrategy;
  readonly starting: StartingOffsets;
  readonly failOnDataLoss: boolean;
  readonly maxOffsetsPerTrigger: number | undefined;
  /** Spark's minOffsetsPerTrigger: wait for this many new offsets, at most `maxTriggerDelayMs`. */
  readonly minOffsetsPerTrigger: number | undefined;
  readonly maxTriggerDelayMs: number;
  readonly includeHeaders: boolean;
  readonly pollTimeoutMs: number;
  /** Spark's `fetchOffset.numRetries` (attempts at fetching offsets) and `fetchOffset.retryIntervalMs`. */
  readonly offsetFetchAttempts: number;
  readonly offsetFetchRetryIntervalMs: number;
  /** Where data-loss warnings go (failOnDataLoss=false). */
  readonly warn: (message: string) => void;
}

/**
 * The fetchers in use, by what they read: the Kafka sources of one query (one checkpoint) with the
 * same options read the same records, and share one fetcher (docs/decisions/0008).
 */
const sharedFetchers = new Map<string, KafkaFetcher>();

function fetcherShareKey(ctx: SourceContext, opts: KafkaStreamOptions): string {
  const options = Object.entries(ctx.options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([path.dirname(ctx.metadataPath), options, opts.includeHeaders]);
}

/** Builds the kafkajs client from `kafka.*` options (kafka-client-config.ts). */
export function kafkaClient(options: Readonly<Record<string, string>>, who: 'consumer' | 'producer'): Kafka {
  return new Kafka({ ...kafkaClientConfig(options, who), logLevel: logLevel.NOTHING });
}

/**
 * Spark's KafkaMicroBatchStream: offsets `{"topic":{"partition":nextOffset}}` kept only in the
 * checkpoint (nothing is committed to Kafka); the initial offsets of a new query are written to
 * `sources/<n>/0` so a restart before batch 0 commits starts at the same place.
 */
export class KafkaMicroBatchStream implements MicroBatchStream {
  readonly description: string;
  readonly schema: StructType;
  private readonly kafka: Kafka;
  private admin: Admin | undefined;
  private readonly fetcher: KafkaFetcher;
  /** This source's reader of the (possibly shared) fetcher. */
  private readonly reader: number;
  private readonly shareKey: string;
  private lastBounds: PartitionBounds | undefined;
  private topicList: { at: number; names: Set<string> } | undefined;
  /** When the last batch with new offsets was planned (or the stream created). */
  private lastBatchAt = Date.now();
  private availableNowEnd: PartitionOffsets | undefined;
  private availableNow = false;
  private stopped = false;

  constructor(
    private readonly ctx: SourceContext,
    private readonly opts: KafkaStreamOptions,
  ) {
    this.description = `KafkaV2[${strategyDescription(opts.strategy)}]`;
    this.schema = opts.includeHeaders ? KAFKA_SCHEMA_WITH_HEADERS : KAFKA_SCHEMA;
    this.kafka = kafkaClient(ctx.options, 'consumer');
    const params = kafkaParams(ctx.options);
    const num = (k: string) => {
      const v = params.get(k);
      return v === undefined ? undefined : Number(v);
    };
    const isolation = (params.get('isolation.level') ?? 'read_uncommitted').toLowerCase();
    if (isolation !== 'read_uncommitted' && isolation !== 'read_committed') {
      throw new AnalysisError(
        'KAFKA_INVALID_OPTION',
        `Invalid value ${isolation} for configuration isolation.level`,
      );
    }
    this.shareKey = fetcherShareKey(ctx, opts);
    const shared = sharedFetchers.get(this.shareKey);
    this.fetcher =
      shared && !shared.isClosed
        ? shared
        : new KafkaFetcher({
            kafka: this.kafka,
            includeHeaders: opts.includeHeaders,
            readUncommitted: isolation === 'read_uncommitted',
            checkCrcs: checkCrcs(ctx.options),
            maxWaitTimeInMs: num('fetch.max.wait.ms') ?? 500,
            maxBytesPerPartition: num('max.partition.fetch.bytes') ?? 8 * 1024 * 1024,
            maxBytes: num('fetch.max.bytes') ?? 52_428_800,
            minBytes: num('fetch.min.bytes'),
            maxBufferedRows: 200_000,
          });
    sharedFetchers.set(this.shareKey, this.fetcher);
    this.reader = this.fetcher.addReader();
  }

  private async getAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  /**
   * The cluster's topics, listed at most once per TOPIC_LIST_TTL_MS (an idle query polls
   * `latestOffset` every few milliseconds; Kafka's own consumers refresh metadata far less often).
   */
  private async listTopics(): Promise<Set<string>> {
    const now = Date.now();
    if (!this.topicList || now - this.topicList.at > TOPIC_LIST_TTL_MS) {
      const names = await (await this.getAdmin()).listTopics();
      this.topicList = { at: now, names: new Set(names) };
    }
    return this.topicList.names;
  }

  /** Topics the strategy reads now that exist (a pattern is matched against the topic list). */
  private async topics(): Promise<string[]> {
    const s = this.opts.strategy;
    const existing = await this.listTopics();
    if (s.kind === 'subscribe') return s.topics.filter((t) => existing.has(t));
    if (s.kind === 'assign')
      return [...new Set(s.partitions.map((p) => p.topic))].filter((t) => existing.has(t));
    return [...existing].filter((t) => !t.startsWith('__') && s.pattern.test(t)).sort();
  }

  /**
   * Earliest/latest offsets, with Spark's `fetchOffset.numRetries` attempts `fetchOffset.retryIntervalMs`
   * apart (KafkaOffsetReader): a request cut off by a broker going away (kafkajs's "Closed
   * connection", which its own retries do not cover) is asked again on a new connection.
   */
  private async fetchBounds(): Promise<PartitionBounds> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.fetchBoundsOnce();
      } catch (err) {
        if (attempt >= this.opts.offsetFetchAttempts) throw err;
        this.topicList = undefined;
        await new Promise((r) => setTimeout(r, this.opts.offsetFetchRetryIntervalMs));
      }
    }
  }

  /** Earliest/latest offsets of the partitions the strategy reads (one ListOffsets pair per topic). */
  private async fetchBoundsOnce(): Promise<PartitionBounds> {
    const admin = await this.getAdmin();
    const earliest: PartitionOffsets = new Map();
    const latest: PartitionOffsets = new Map();
    const s = this.opts.strategy;
    const topics = await this.topics();
    await Promise.all(
      topics.map(async (topic) => {
        let parts: Awaited<ReturnType<Admin['fetchTopicOffsets']>>;
        try {
          parts = await admin.fetchTopicOffsets(topic);
        } catch (err) {
          // Deleted since it was listed: its partitions are missing (getBatch reports the loss,
          // which fails the query or warns as failOnDataLoss says).
          this.topicList = undefined;
          if (!isUnknownTopic(err)) throw err;
          return;
        }
        for (const p of parts) {
          if (
            s.kind === 'assign' &&
            !s.partitions.some((a) => a.topic === topic && a.partition === p.partition)
          ) {
            continue;
          }
          setOffset(earliest, topic, p.partition, Number(p.low));
          setOffset(latest, topic, p.partition, Number(p.high));
        }
      }),
    );
    return { earliest: sortOffsets(earliest), latest: sortOffsets(latest) };
  }

  async initialOffset(): Promise<Offset> {
    const file = path.join(this.ctx.metadataPath, '0');
    if (fs.existsSync(file)) {
      const text = fs.readFileSync(file, 'utf8');
      try {
        return offsetsToJson(offsetsFromValue(JSON.parse(stripVersion(text, 1).rest)));
      } catch (err) {
        throw corruptLogError(file, err);
      }
    }
    const offsets = await this.resolveStarting();
    // Start fetching from the starting offsets while the engine plans batch 0.
    const ranges: PartitionRange[] = [];
    for (const [topic, ps] of offsets) {
      for (const [partition, from] of ps) ranges.push({ topic, partition, from, until: from + 1 });
    }
    this.fetcher.prefetch(this.reader, ranges);
    const json = offsetsToJson(offsets);
    fs.mkdirSync(this.ctx.metadataPath, { recursive: true });
    writeFileAtomic(file, `v1\n${JSON.stringify(json)}`);
    return json;
  }

  /** The starting offsets the options name, resolved against the cluster (batch reads). */
  async resolveStartingOffsets(): Promise<Offset> {
    return offsetsToJson(await this.resolveStarting());
  }

  private async resolveStarting(): Promise<PartitionOffsets> {
    const bounds = await this.fetchBounds();
    const st = this.opts.starting;
    switch (st.kind) {
      case 'earliest':
        return bounds.earliest;
      case 'latest':
        return bounds.latest;
      case 'specific': {
        const want = [...st.offsets].flatMap(([t, ps]) => [...ps.keys()].map((p) => `${t}-${p}`));
        const have = [...bounds.latest].flatMap(([t, ps]) => [...ps.keys()].map((p) => `${t}-${p}`));
        if (
          this.opts.strategy.kind !== 'subscribePattern' &&
          (want.length !== have.length || want.some((w) => !have.includes(w)))
        ) {
          throw new AnalysisError(
            'KAFKA_INVALID_OPTION',
            `requirement failed: If startingOffsets contains specific offsets, you must specify all TopicPartitions.\nUse -1 for latest, -2 for earliest.\nSpecified: ${want.sort().join(', ')} Assigned: ${have.sort().join(', ')}`,
          );
        }
        const out: PartitionOffsets = new Map();
        for (const [t, ps] of bounds.latest) {
          for (const [p, hi] of ps) {
            const o = getOffset(st.offsets, t, p);
            const lo = getOffset(bounds.earliest, t, p) ?? 0;
            setOffset(out, t, p, o === undefined || o === -2 ? lo : o === -1 ? hi : o);
          }
        }
        return out;
      }
      case 'timestamp':
      case 'timestamps': {
        const admin = await this.getAdmin();
        const out: PartitionOffsets = new Map();
        for (const [t, ps] of bounds.latest) {
          const ts = st.kind === 'timestamp' ? st.timestamp : undefined;
          const perPartition = st.kind === 'timestamps' ? st.timestamps.get(t) : undefined;
          const distinct = new Set<number>(ts !== undefined ? [ts] : [...(perPartition?.values() ?? [])]);
          const found = new Map<number, Map<number, number>>();
          for (const time of distinct) {
            const res = await admin.fetchTopicOffsetsByTimestamp(t, time);
            found.set(time, new Map(res.map((r) => [r.partition, Number(r.offset)])));
          }
          for (const [p, hi] of ps) {
            const time = ts ?? perPartition?.get(p);
            if (time === undefined) continue;
            const o = found.get(time)?.get(p);
            // No record at or after the timestamp: Spark's default strategy ("error") would fail; start at latest.
            setOffset(out, t, p, o === undefined || o < 0 ? hi : o);
          }
        }
        return out;
      }
    }
  }

  getDefaultReadLimit(): ReadLimit {
    const max = this.opts.maxOffsetsPerTrigger;
    return max === undefined ? readAllAvailable : { kind: 'maxRows', max };
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    this.availableNow = true;
    this.availableNowEnd = (await this.fetchBounds()).latest;
  }

  /** Wakes the query when the fetcher buffers new records (continuous processing reacts at once). */
  subscribe(listener: (rows: Row[]) => void): () => void {
    return this.fetcher.onRows(() => listener([]));
  }

  /**
   * The offsets up to which the fetcher has buffered each partition of `start`, without asking
   * Kafka (continuous processing reads what was fetched, as Spark's continuous reader reads what
   * its consumer polled; a busy micro-batch stream too, docs/decisions/0011); undefined while a
   * partition is not being fetched yet, and under `minOffsetsPerTrigger` or Trigger.AvailableNow,
   * whose ends only `latestOffset` decides.
   */
  availableOffset(start: Offset): Offset | undefined {
    if (this.availableNow || this.opts.minOffsetsPerTrigger !== undefined) return undefined;
    const from = offsetsFromValue(start);
    const until = cloneOffsets(from);
    for (const [topic, ps] of from) {
      for (const [partition, offset] of ps) {
        const buffered = this.fetcher.positionOf(topic, partition);
        if (buffered === undefined) return undefined;
        if (buffered > offset) setOffset(until, topic, partition, buffered);
      }
    }
    return offsetsToJson(until);
  }

  async latestOffset(start: Offset, limit: ReadLimit): Promise<Offset> {
    const from = offsetsFromValue(start);
    const bounds = await this.fetchBounds();
    this.lastBounds = bounds;
    let until =
      this.availableNow && this.availableNowEnd ? mergeEnd(this.availableNowEnd, bounds) : bounds.latest;
    // Partitions that appeared since `start` begin at their earliest offset.
    const begin = cloneOffsets(from);
    for (const [t, ps] of until)
      for (const p of ps.keys()) {
        if (getOffset(begin, t, p) === undefined)
          setOffset(begin, t, p, getOffset(bounds.earliest, t, p) ?? 0);
      }
    // Partitions of `start` that are gone (a deleted topic) are left out of the end offsets, so the
    // next batch sees them missing and getBatch reports the loss (Spark's deletedPartitions).
    const min = this.opts.minOffsetsPerTrigger;
    if (min !== undefined && !this.availableNow) {
      let available = 0;
      for (const [t, ps] of until)
        for (const [p, e] of ps) available += Math.max(0, e - (getOffset(begin, t, p) ?? e));
      if (available < min && Date.now() - this.lastBatchAt < this.opts.maxTriggerDelayMs) {
        return offsetsToJson(from); // not enough yet: wait (Spark's minOffsetsPerTrigger)
      }
    }
    if (limit.kind === 'maxRows') until = rateLimit(limit.max, begin, until);
    // The engine asks for exactly this range next (getBatch): start fetching it now.
    const ranges: PartitionRange[] = [];
    for (const [topic, ps] of until) {
      for (const [partition, e] of ps) {
        const s = getOffset(begin, topic, partition);
        if (s !== undefined && e > s && s >= (getOffset(bounds.earliest, topic, partition) ?? 0)) {
          ranges.push({ topic, partition, from: s, until: e });
        }
      }
    }
    this.fetcher.prefetch(this.reader, ranges);
    const json = offsetsToJson(until);
    if (JSON.stringify(json) !== JSON.stringify(offsetsToJson(from))) this.lastBatchAt = Date.now();
    return json;
  }

  reportLatestOffset(): Offset | null {
    const latest = this.latestKnown();
    return latest ? offsetsToJson(latest) : null;
  }

  /**
   * The brokers' latest offsets from the last `latestOffset`, raised to what the fetcher has read
   * since: a busy stream asks the brokers only once a second (docs/decisions/0011), and progress
   * must never report a latest offset behind the batch's end.
   */
  private latestKnown(): PartitionOffsets | undefined {
    if (!this.lastBounds) return undefined;
    const latest = cloneOffsets(this.lastBounds.latest);
    for (const [topic, ps] of latest)
      for (const [partition, offset] of ps) {
        const read = this.fetcher.positionOf(topic, partition);
        if (read !== undefined && read > offset) setOffset(latest, topic, partition, read);
      }
    return latest;
  }

  metrics(latestConsumedOffset: Offset | null): Record<string, string> {
    const latest = this.latestKnown();
    if (!latest || latestConsumedOffset === null) return {};
    const consumed = offsetsFromValue(latestConsumedOffset);
    const behind: number[] = [];
    for (const [t, ps] of latest) {
      for (const [p, hi] of ps) behind.push(hi - (getOffset(consumed, t, p) ?? 0));
    }
    if (behind.length === 0) return {};
    const avg = behind.reduce((a, b) => a + b, 0) / behind.length;
    return {
      avgOffsetsBehindLatest: Number.isInteger(avg) ? avg.toFixed(1) : String(avg),
      maxOffsetsBehindLatest: String(Math.max(...behind)),
      minOffsetsBehindLatest: String(Math.min(...behind)),
    };
  }

  private reportDataLoss(message: string): void {
    if (this.opts.failOnDataLoss) {
      throw new StreamingQueryError('KAFKA_DATA_LOSS', `${message}. ${DATA_LOSS_FAIL}`);
    }
    this.opts.warn(`${message}. ${DATA_LOSS_WARN}`);
  }

  /** The ranges of a batch and what to do when fetching stalls (the data-loss checks). */
  private async planBatch(
    start: Offset,
    end: Offset,
  ): Promise<{ ranges: PartitionRange[]; onStall: (stalled: PartitionRange[]) => Promise<void> }> {
    const from = offsetsFromValue(start);
    const until = offsetsFromValue(end);
    let bounds = this.lastBounds ?? (await this.fetchBounds());
    const deleted: string[] = [];
    for (const [topic, ps] of from)
      for (const p of ps.keys()) if (getOffset(until, topic, p) === undefined) deleted.push(`${topic}-${p}`);
    if (deleted.length > 0)
      this.reportDataLoss(`Set(${deleted.join(', ')}) are gone. Some data may have been missed`);
    const ranges: PartitionRange[] = [];
    for (const [topic, ps] of until) {
      for (const [partition, e] of ps) {
        const lo = getOffset(bounds.earliest, topic, partition);
        if (lo === undefined) {
          const s = getOffset(from, topic, partition);
          if (s !== undefined && e > s) this.reportDataLoss(`Partition ${topic}-${partition} is gone`);
          continue;
        }
        let s = getOffset(from, topic, partition) ?? lo;
        if (e < s) {
          this.reportDataLoss(
            `Partition ${topic}-${partition}'s offset was changed from ${s} to ${e}, some data may have been missed`,
          );
          continue;
        }
        if (s < lo && e > s) {
          this.reportDataLoss(
            `Cannot fetch offset ${s} (TopicPartition: ${topic}-${partition}); the earliest available offset is ${lo}`,
          );
          s = Math.min(lo, e);
        }
        ranges.push({ topic, partition, from: s, until: e });
      }
    }
    const onStall = async (stalled: PartitionRange[]) => {
      // No progress for a while: records may have been deleted under us.
      bounds = await this.fetchBounds();
      for (const r of stalled) {
        const lo = getOffset(bounds.earliest, r.topic, r.partition);
        const at = this.fetcher.positionOf(r.topic, r.partition) ?? r.from;
        if (lo === undefined) {
          this.reportDataLoss(`Partition ${r.topic}-${r.partition} is gone`);
          continue;
        }
        if (at < lo) {
          this.reportDataLoss(
            `Cannot fetch offset ${at} (TopicPartition: ${r.topic}-${r.partition}); the earliest available offset is ${lo}`,
          );
          this.fetcher.reseek(r.topic, r.partition, Math.min(lo, r.until));
        }
      }
    };
    return { ranges, onStall };
  }

  async getBatch(start: Offset, end: Offset): Promise<Row[]> {
    const { ranges, onStall } = await this.planBatch(start, end);
    const parts = await this.fetcher.fetch(
      this.reader,
      ranges,
      Date.now() + this.opts.pollTimeoutMs,
      onStall,
    );
    if (parts.length === 1) return parts[0] ?? [];
    let n = 0;
    for (const p of parts) n += p.length;
    const rows: Row[] = new Array(n);
    let i = 0;
    for (const p of parts) for (const r of p) rows[i++] = r;
    return rows;
  }

  /**
   * The rows of `getBatch` in chunks as they are fetched (partition after partition as each gets
   * records): the fetcher's buffers drain as chunks are taken, so a large batch is never held whole.
   */
  async *getBatchChunks(start: Offset, end: Offset): AsyncIterable<Row[]> {
    const { ranges, onStall } = await this.planBatch(start, end);
    yield* this.fetcher.stream(
      this.reader,
      ranges,
      Date.now() + this.opts.pollTimeoutMs,
      onStall,
      chunkRows(),
    );
  }

  commit(): void {}

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.fetcher.removeReader(this.reader);
    if (this.fetcher.isClosed && sharedFetchers.get(this.shareKey) === this.fetcher)
      sharedFetchers.delete(this.shareKey);
    const admin = this.admin;
    this.admin = undefined;
    if (admin) await admin.disconnect();
  }

  deserializeOffset(json: string): Offset {
    return offsetsToJson(offsetsFromValue(JSON.parse(json)));
  }
}

function sortOffsets(o: PartitionOffsets): PartitionOffsets {
  return offsetsFromValue(offsetsToJson(o));
}

/** Trigger.AvailableNow: the end fixed at start, plus partitions that appeared since (at their earliest). */
function mergeEnd(fixed: PartitionOffsets, bounds: PartitionBounds): PartitionOffsets {
  const out = cloneOffsets(fixed);
  for (const [t, ps] of bounds.earliest)
    for (const [p, lo] of ps) {
      if (getOffset(out, t, p) === undefined) setOffset(out, t, p, lo);
    }
  return out;
}

/** Spark's JavaUtils.timeStringAsMs: `500ms`, `10s`, `15m`, `1h`, `1d` (a bare number is ms). */
export function parseTimeMs(raw: string, name: string): number {
  const m = /^\s*(\d+)\s*(ms|s|m|min|h|d)?\s*$/i.exec(raw);
  if (!m) throw new AnalysisError('KAFKA_INVALID_OPTION', `Invalid value '${raw}' for option '${name}'`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const mult: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    min: 60_000,
    h: 3_600_000,
    d: 86_400_000,
  };
  return n * (mult[unit] ?? 1);
}

/** Parses and checks the source options (Spark's validateStreamOptions). */
export function kafkaStreamOptions(options: Readonly<Record<string, string>>): KafkaStreamOptions {
  const strategy = parseStrategy(options);
  validateConsumerParams(options);
  const starting = parseStartingOffsets(options);
  if (getOption(options, 'endingOffsets') !== undefined) {
    throw new AnalysisError('KAFKA_INVALID_OPTION', 'ending offset not valid in streaming queries');
  }
  if (starting.kind === 'specific' && strategy.kind === 'assign') {
    // fine: the JSON must name exactly the assigned partitions (checked when resolved)
  }
  const poll = getOption(options, 'kafkaConsumer.pollTimeoutMs');
  const minOffsets = positiveLong(options, 'minOffsetsPerTrigger');
  const maxOffsets = positiveLong(options, 'maxOffsetsPerTrigger');
  if (minOffsets !== undefined && maxOffsets !== undefined && minOffsets > maxOffsets) {
    throw new AnalysisError(
      'KAFKA_INVALID_OPTION',
      `The value of minOffsetPerTrigger(${minOffsets}) is higher than the maxOffsetsPerTrigger(${maxOffsets}).`,
    );
  }
  return {
    strategy,
    starting,
    failOnDataLoss: boolOption(options, 'failOnDataLoss', true),
    maxOffsetsPerTrigger: positiveLong(options, 'maxOffsetsPerTrigger'),
    minOffsetsPerTrigger: positiveLong(options, 'minOffsetsPerTrigger'),
    maxTriggerDelayMs: parseTimeMs(getOption(options, 'maxTriggerDelay') ?? '15m', 'maxTriggerDelay'),
    includeHeaders: boolOption(options, 'includeHeaders', false),
    pollTimeoutMs: poll === undefined ? 120_000 : Number(poll),
    offsetFetchAttempts: positiveLong(options, 'fetchOffset.numRetries') ?? 3,
    offsetFetchRetryIntervalMs: positiveLong(options, 'fetchOffset.retryIntervalMs') ?? 10,
    warn: (m) => console.warn(m),
  };
}

/** `readStream.format('kafka')`. */
export const kafkaSourceProvider: SourceProvider = {
  format: 'kafka',
  // Spark's KafkaContinuousStream: records are read and written as they arrive, at least once.
  supportsContinuous: true,
  sourceSchema(options, userSchema) {
    if (userSchema) {
      throw new AnalysisError(
        'KAFKA_INVALID_OPTION',
        'requirement failed: Kafka source has a fixed schema and cannot be set with a custom one',
      );
    }
    const o = kafkaStreamOptions(options);
    for (const w of unknownSourceOptionWarnings(options)) o.warn(w);
    const kafkaSchema = o.includeHeaders ? KAFKA_SCHEMA_WITH_HEADERS : KAFKA_SCHEMA;
    const vf = valueFormatOf(options);
    return vf ? parsedValueSchema(vf, kafkaSchema) : kafkaSchema;
  },
  createStream(ctx) {
    const opts = kafkaStreamOptions(ctx.options);
    const vf = valueFormatOf(ctx.options);
    if (!vf) return new KafkaMicroBatchStream(ctx, opts);
    // Records are read with their headers, so a dead letter keeps them even when the rows do not.
    const stream = new KafkaMicroBatchStream(ctx, { ...opts, includeHeaders: true });
    return new ParsedValueStream(stream, vf, ctx.options, opts.includeHeaders);
  },
};

/** kafkajs reports a missing topic as UNKNOWN_TOPIC_OR_PARTITION, possibly wrapped by its retrier. */
function isUnknownTopic(err: unknown): boolean {
  for (let e = err as { type?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.type === 'UNKNOWN_TOPIC_OR_PARTITION') return true;
  }
  return false;
}
