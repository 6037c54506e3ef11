import { AnalysisError } from '../../errors.js';
import { levenshtein, nearestNames } from '../../sql/index.js';
import type { StructType } from '../../types/data-type.js';
import { field, struct, T } from '../schema-util.js';
import { getOption } from '../source.js';

/** `key binary, value binary, topic string, partition int, offset long, timestamp timestamp, timestampType int`. */
export const KAFKA_SCHEMA: StructType = struct(
  field('key', T.binary),
  field('value', T.binary),
  field('topic', T.string),
  field('partition', T.int),
  field('offset', T.long),
  field('timestamp', T.timestamp),
  field('timestampType', T.int),
);

/** `headers array<struct<key:string,value:binary>>` (with `includeHeaders=true`). */
export const KAFKA_HEADERS_TYPE = {
  kind: 'array',
  elementType: struct(field('key', T.string), field('value', T.binary)),
  containsNull: true,
} as const;

export const KAFKA_SCHEMA_WITH_HEADERS: StructType = struct(
  ...KAFKA_SCHEMA.fields,
  field('headers', KAFKA_HEADERS_TYPE),
);

/** Spark's ConsumerStrategy: which partitions the source reads. */
export type ConsumerStrategy =
  | { readonly kind: 'assign'; readonly partitions: readonly TopicPartition[] }
  | { readonly kind: 'subscribe'; readonly topics: readonly string[] }
  | { readonly kind: 'subscribePattern'; readonly pattern: RegExp; readonly source: string };

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** Spark's `toString` of the strategy, used in progress `sources[].description` as `KafkaV2[...]`. */
export function strategyDescription(s: ConsumerStrategy): string {
  switch (s.kind) {
    case 'assign':
      return `Assign[${s.partitions.map((p) => `${p.topic}-${p.partition}`).join(', ')}]`;
    case 'subscribe':
      return `Subscribe[${s.topics.join(', ')}]`;
    case 'subscribePattern':
      return `SubscribePattern[${s.source}]`;
  }
}

const STRATEGY_KEYS = 'subscribe, subscribepattern, assign';

function illegal(message: string): AnalysisError {
  return new AnalysisError('KAFKA_INVALID_OPTION', message);
}

/** Parses `{"topicA":[0,1],"topicB":[0,1]}` (Spark's JsonUtils.partitions). */
export function parsePartitions(json: string): TopicPartition[] {
  const bad = () => illegal(`Expected e.g. {"topicA":[0,1],"topicB":[0,1]}, got ${json}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw bad();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad();
  const out: TopicPartition[] = [];
  for (const [topic, parts] of Object.entries(parsed)) {
    if (!Array.isArray(parts)) throw bad();
    for (const p of parts) {
      if (typeof p !== 'number' || !Number.isInteger(p)) throw bad();
      out.push({ topic, partition: p });
    }
  }
  return out;
}

/** Splits a comma list, trimming spaces and dropping empty entries. */
export function commaList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Spark's validateGeneralOptions: exactly one strategy, a bootstrap server, no unsupported kafka.* keys. */
export function parseStrategy(options: Readonly<Record<string, string>>): ConsumerStrategy {
  const assign = getOption(options, 'assign');
  const subscribe = getOption(options, 'subscribe');
  const pattern = getOption(options, 'subscribePattern');
  const given = [assign, subscribe, pattern].filter((v) => v !== undefined).length;
  if (given === 0) {
    throw illegal(
      `One of the following options must be specified for Kafka source: ${STRATEGY_KEYS}. See the docs for more details.`,
    );
  }
  if (given > 1) {
    throw illegal(
      `Only one of the following options can be specified for Kafka source: ${STRATEGY_KEYS}. See the docs for more details.`,
    );
  }
  if (assign !== undefined) {
    const trimmed = assign.trim();
    if (!trimmed.startsWith('{')) {
      throw illegal(`No topicpartitions to assign as specified value for option 'assign' is '${assign}'`);
    }
    return { kind: 'assign', partitions: parsePartitions(trimmed) };
  }
  if (subscribe !== undefined) {
    const topics = commaList(subscribe);
    if (topics.length === 0) {
      throw illegal(`No topics to subscribe to as specified value for option 'subscribe' is '${subscribe}'`);
    }
    // Kafka's consumer refuses these (InvalidTopicException); without the check the query would start
    // and read nothing forever (the seeds' `subscribe "topic.*"` meant subscribePattern).
    const invalid = topics.filter((t) => !/^[a-zA-Z0-9._-]{1,249}$/.test(t) || t === '.' || t === '..');
    if (invalid.length > 0) {
      throw illegal(
        `Invalid topics: [${invalid.join(', ')}]. Topic names may contain only ASCII letters, digits, '.', '_' and '-'; to subscribe to every topic matching a regular expression use the option 'subscribePattern'.`,
      );
    }
    return { kind: 'subscribe', topics };
  }
  const p = (pattern ?? '').trim();
  if (p.length === 0) {
    throw illegal(
      `Pattern to subscribe is empty as specified value for option 'subscribePattern' is '${pattern}'`,
    );
  }
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${p})$`);
  } catch (err) {
    throw illegal(`Invalid pattern for option 'subscribePattern': ${(err as Error).message}`);
  }
  return { kind: 'subscribePattern', pattern: re, source: p };
}

/** `kafka.*` options with the prefix removed, lower-cased keys. */
export function kafkaParams(options: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(options)) {
    if (k.toLowerCase().startsWith('kafka.')) out.set(k.slice(6).toLowerCase(), v);
  }
  return out;
}

/** `kafka.bootstrap.servers` as a list (spaces trimmed), or Spark's error naming `who` (consumer/producer). */
export function bootstrapServers(
  options: Readonly<Record<string, string>>,
  who: 'consumer' | 'producer',
): string[] {
  const raw = kafkaParams(options).get('bootstrap.servers');
  const list = raw === undefined ? [] : commaList(raw);
  if (list.length === 0) {
    // Beyond Spark: name the option that was probably meant (the seeds' `kakfa.bootstrap.servers`).
    const typo = Object.keys(options).find(
      (k) =>
        k.toLowerCase() !== 'kafka.bootstrap.servers' &&
        levenshtein(k.toLowerCase(), 'kafka.bootstrap.servers') <= 3,
    );
    throw illegal(
      `Option 'kafka.bootstrap.servers' must be specified for configuring Kafka ${who}${typo ? ` (did you mean 'kafka.bootstrap.servers' instead of '${typo}'?)` : ''}`,
    );
  }
  return list;
}

/** The Kafka source's own options (beyond `kafka.*`), for the unknown-option warning. */
const SOURCE_OPTIONS = [
  'subscribe',
  'subscribePattern',
  'assign',
  'startingOffsets',
  'endingOffsets',
  'startingTimestamp',
  'endingTimestamp',
  'startingOffsetsByTimestamp',
  'endingOffsetsByTimestamp',
  'startingOffsetsByTimestampStrategy',
  'failOnDataLoss',
  'maxOffsetsPerTrigger',
  'minOffsetsPerTrigger',
  'maxTriggerDelay',
  'includeHeaders',
  // Accepted as in Spark; the source assigns its partitions and joins no group (docs/decisions/0009).
  'groupIdPrefix',
  'kafkaConsumer.pollTimeoutMs',
  'fetchOffset.numRetries',
  'fetchOffset.retryIntervalMs',
  'maxRecordsPerPartition',
  'valueFormat',
  'schema',
  'path',
];

/**
 * Beyond Spark's silence: an option the Kafka source does not know (neither its own nor `kafka.*`)
 * is probably a typo; the warning names the closest known option.
 */
export function unknownSourceOptionWarnings(options: Readonly<Record<string, string>>): string[] {
  const known = new Set(SOURCE_OPTIONS.map((o) => o.toLowerCase()));
  const candidates = [
    ...SOURCE_OPTIONS,
    'kafka.bootstrap.servers',
    'kafka.group.id',
    'kafka.security.protocol',
  ];
  const out: string[] = [];
  for (const key of Object.keys(options)) {
    const k = key.toLowerCase();
    if (known.has(k) || k.startsWith('kafka.')) continue;
    const near = nearestNames(key, candidates, 1, {
      maxDistance: Math.max(1, Math.floor(key.length / 4)),
    })[0];
    out.push(
      `Unknown option '${key}' of the Kafka source is ignored${near ? `; did you mean '${near}'?` : '.'}`,
    );
  }
  return out;
}

/** Spark's rejections of consumer-side kafka.* options it manages itself. */
export function validateConsumerParams(options: Readonly<Record<string, string>>): void {
  const params = kafkaParams(options);
  if (params.has('auto.offset.reset')) {
    throw illegal(
      "Kafka option 'auto.offset.reset' is not supported.\n" +
        "Instead set the source option 'startingoffsets' to 'earliest' or 'latest' to specify where to start. " +
        'Structured Streaming manages which offsets are consumed internally, rather than relying on the kafkaConsumer to do it. ' +
        'This will ensure that no data is missed when new topics/partitions are dynamically subscribed. ' +
        "Note that 'startingoffsets' only applies when a new Streaming query is started, and that resuming will always pick up from where the query left off. " +
        'See the docs for more details.',
    );
  }
  for (const side of ['key', 'value']) {
    if (params.has(`${side}.deserializer`)) {
      throw illegal(
        `Kafka option '${side}.deserializer' is not supported, as ${side}s are deserialized as byte arrays with ByteArrayDeserializer. Use DataFrame operations to explicitly deserialize the ${side}s.`,
      );
    }
  }
  for (const key of ['enable.auto.commit', 'interceptor.classes']) {
    if (params.has(key)) throw illegal(`Kafka option '${key}' is not supported.`);
  }
  checkCrcs(options);
  bootstrapServers(options, 'consumer');
}

/** Kafka's consumer setting `check.crcs` (default true), refused as Kafka's ConfigDef refuses a bad boolean. */
export function checkCrcs(options: Readonly<Record<string, string>>): boolean {
  const v = kafkaParams(options).get('check.crcs');
  if (v === undefined) return true;
  const b = v.trim().toLowerCase();
  if (b !== 'true' && b !== 'false')
    throw illegal(
      `Invalid value ${v} for configuration check.crcs: Expected value to be either true or false`,
    );
  return b === 'true';
}

/** Spark's rejections of producer-side kafka.* options. */
export function validateProducerParams(options: Readonly<Record<string, string>>): void {
  const params = kafkaParams(options);
  for (const side of ['key', 'value']) {
    if (params.has(`${side}.serializer`)) {
      throw illegal(
        `Kafka option '${side}.serializer' is not supported as ${side}s are serialized with ByteArraySerializer.`,
      );
    }
  }
  bootstrapServers(options, 'producer');
}

/** A boolean option (`true`/`false`, case-insensitive). */
export function boolOption(options: Readonly<Record<string, string>>, name: string, dflt: boolean): boolean {
  const raw = getOption(options, name);
  if (raw === undefined) return dflt;
  const v = raw.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw illegal(`Invalid value '${raw}' for option '${name}', must be true or false`);
}

/** A positive long option, or undefined when absent. */
export function positiveLong(options: Readonly<Record<string, string>>, name: string): number | undefined {
  const raw = getOption(options, name);
  if (raw === undefined) return undefined;
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n <= 0) {
    throw illegal(`Invalid value '${raw}' for option '${name}', must be a positive integer`);
  }
  return n;
}

/** Where a new query starts: `earliest`, `latest`, or per-partition offsets (-2 earliest, -1 latest). */
export type StartingOffsets =
  | { readonly kind: 'earliest' }
  | { readonly kind: 'latest' }
  | { readonly kind: 'specific'; readonly offsets: PartitionOffsets }
  | { readonly kind: 'timestamp'; readonly timestamp: number }
  | { readonly kind: 'timestamps'; readonly timestamps: PartitionOffsets };

/** `topic -> partition -> offset` (Spark's JSON `{"topic":{"0":23}}`, the next offset to read). */
export type PartitionOffsets = Map<string, Map<number, number>>;

export function parseStartingOffsets(options: Readonly<Record<string, string>>): StartingOffsets {
  const byTimestamp = getOption(options, 'startingOffsetsByTimestamp');
  const timestamp = getOption(options, 'startingTimestamp');
  const offsets = getOption(options, 'startingOffsets');
  if (timestamp !== undefined) {
    const t = Number(timestamp.trim());
    if (!Number.isInteger(t)) throw illegal(`Invalid value '${timestamp}' for option 'startingTimestamp'`);
    return { kind: 'timestamp', timestamp: t };
  }
  if (byTimestamp !== undefined) return { kind: 'timestamps', timestamps: parseOffsetsJson(byTimestamp) };
  if (offsets === undefined) return { kind: 'latest' };
  const v = offsets.trim();
  if (v.toLowerCase() === 'latest') return { kind: 'latest' };
  if (v.toLowerCase() === 'earliest') return { kind: 'earliest' };
  return { kind: 'specific', offsets: parseOffsetsJson(v) };
}

/** Parses `{"topicA":{"0":23,"1":-1}}` (Spark's JsonUtils.partitionOffsets). */
export function parseOffsetsJson(json: string): PartitionOffsets {
  const bad = () => illegal(`Expected e.g. {"topicA":{"0":23,"1":-1},"topicB":{"0":-2}}, got ${json}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw bad();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad();
  const out: PartitionOffsets = new Map();
  for (const [topic, parts] of Object.entries(parsed)) {
    if (typeof parts !== 'object' || parts === null || Array.isArray(parts)) throw bad();
    const m = new Map<number, number>();
    for (const [p, off] of Object.entries(parts)) {
      const pn = Number(p);
      if (!Number.isInteger(pn) || typeof off !== 'number' || !Number.isInteger(off)) throw bad();
      m.set(pn, off);
    }
    out.set(topic, m);
  }
  return out;
}

/** The offsets as Spark's JSON value (topics and partitions sorted), a plain object for the offsets log. */
export function offsetsToJson(offsets: PartitionOffsets): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const topic of [...offsets.keys()].sort()) {
    const parts = offsets.get(topic);
    if (!parts) continue;
    const o: Record<string, number> = {};
    for (const p of [...parts.keys()].sort((a, b) => a - b)) o[String(p)] = parts.get(p) as number;
    out[topic] = o;
  }
  return out;
}

/** Reads an offsets value (the plain object of `offsetsToJson`). */
export function offsetsFromValue(v: unknown): PartitionOffsets {
  return parseOffsetsJson(JSON.stringify(v ?? {}));
}

/** Deep copy. */
export function cloneOffsets(o: PartitionOffsets): PartitionOffsets {
  const out: PartitionOffsets = new Map();
  for (const [t, parts] of o) out.set(t, new Map(parts));
  return out;
}

export function getOffset(o: PartitionOffsets, topic: string, partition: number): number | undefined {
  return o.get(topic)?.get(partition);
}

export function setOffset(o: PartitionOffsets, topic: string, partition: number, offset: number): void {
  let parts = o.get(topic);
  if (!parts) {
    parts = new Map();
    o.set(topic, parts);
  }
  parts.set(partition, offset);
}

/**
 * Spark's KafkaMicroBatchStream.rateLimit: splits `limit` offsets across partitions in proportion to
 * their backlog (`until - from`); a partition with a prorate below 1 still gets one (no starvation).
 */
export function rateLimit(limit: number, from: PartitionOffsets, until: PartitionOffsets): PartitionOffsets {
  const sizes: { topic: string; partition: number; begin: number; end: number; size: number }[] = [];
  let total = 0;
  for (const [topic, parts] of until) {
    for (const [partition, end] of parts) {
      const begin = getOffset(from, topic, partition);
      if (begin === undefined) continue;
      const size = Math.max(0, end - begin);
      sizes.push({ topic, partition, begin, end, size });
      total += size;
    }
  }
  if (total <= limit) return until;
  const out = cloneOffsets(until);
  for (const s of sizes) {
    if (s.size <= 0) continue;
    const prorate = limit * (s.size / total);
    const n = prorate < 1 ? Math.ceil(prorate) : Math.floor(prorate);
    setOffset(out, s.topic, s.partition, Math.min(s.end, s.begin + n));
  }
  return out;
}
