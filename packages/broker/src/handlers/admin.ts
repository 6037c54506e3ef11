/** Topic administration: create/delete topics, add partitions, delete records, describe configs. */
import type { Broker } from '../broker.js';
import type { RequestContext } from '../connection.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type {
  CreatePartitionsRequest,
  CreatePartitionsResponse,
} from '../protocol/requests/create-partitions/index.js';
import type { CreateTopicsRequest, CreateTopicsResponse } from '../protocol/requests/create-topics/index.js';
import type {
  DeleteRecordsRequest,
  DeleteRecordsResponse,
} from '../protocol/requests/delete-records/index.js';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from '../protocol/requests/delete-topics/index.js';
import type {
  DescribeConfigsRequest,
  DescribeConfigsResponse,
  DescribedConfig,
} from '../protocol/requests/describe-configs/index.js';
import { validTopicName } from '../storage/log-manager.js';

const TOPIC_RESOURCE = 2;
const BROKER_RESOURCE = 4;
const SOURCE_TOPIC = 1;
const SOURCE_STATIC_BROKER = 4;
const SOURCE_DEFAULT = 5;

/** A single node keeps one directory and file set per partition: bound what one request can create. */
const MAX_PARTITIONS = 10_000;
const NUMERIC_TOPIC_CONFIGS = new Set([
  'retention.ms',
  'retention.bytes',
  'segment.bytes',
  'segment.ms',
  'max.message.bytes',
  'min.insync.replicas',
]);
const FIXED_TOPIC_CONFIGS: Record<string, string> = {
  'cleanup.policy': 'delete',
  'min.insync.replicas': '1',
  'compression.type': 'producer',
  'message.timestamp.type': 'CreateTime',
};
const KNOWN_TOPIC_CONFIGS = new Set([
  'cleanup.policy',
  'retention.ms',
  'retention.bytes',
  'segment.bytes',
  'segment.ms',
  'max.message.bytes',
  'min.insync.replicas',
  'compression.type',
  'message.timestamp.type',
]);

/** Why `more` partitions do not fit under the broker's cap, or undefined when they do. */
function partitionRoom(b: Broker, more: number): string | undefined {
  const have = b.logs.partitionCount;
  if (have + more <= b.logs.maxPartitions) return undefined;
  return `The broker serves ${have} partition(s) and at most ${b.logs.maxPartitions} (the broker's maxPartitions); ${more} more do not fit.`;
}

export function createTopics(
  b: Broker,
  _ctx: RequestContext,
  req: CreateTopicsRequest,
): CreateTopicsResponse {
  const topics = req.topics.map((t) => {
    const err = (errorCode: number, errorMessage: string) => ({ name: t.name, errorCode, errorMessage });
    if (!validTopicName(t.name))
      return err(ErrorCode.INVALID_TOPIC_EXCEPTION, `invalid topic name '${t.name}'`);
    if (b.topic(t.name)) return err(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
    const partitions =
      t.assignments.length > 0
        ? t.assignments.length
        : t.numPartitions === -1
          ? b.defaultPartitions
          : t.numPartitions;
    if (partitions <= 0)
      return err(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
    if (partitions > MAX_PARTITIONS)
      return err(ErrorCode.INVALID_PARTITIONS, `At most ${MAX_PARTITIONS} partitions per topic.`);
    const room = partitionRoom(b, partitions);
    if (room) return err(ErrorCode.INVALID_PARTITIONS, room);
    if (t.replicationFactor !== -1 && t.replicationFactor !== 1 && t.assignments.length === 0) {
      return err(
        ErrorCode.INVALID_REPLICATION_FACTOR,
        'Replication factor larger than available brokers: 1.',
      );
    }
    const configs: Record<string, string> = {};
    for (const c of t.configs) {
      if (c.value === null) continue;
      if (!KNOWN_TOPIC_CONFIGS.has(c.name))
        return err(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${c.name}`);
      if (NUMERIC_TOPIC_CONFIGS.has(c.name) && !/^-?\d+$/.test(c.value))
        return err(ErrorCode.INVALID_CONFIG, `Invalid value ${c.value} for configuration ${c.name}`);
      // Accepted only with the value this broker implements, rather than silently ignored.
      const only = FIXED_TOPIC_CONFIGS[c.name];
      if (only !== undefined && c.value !== only)
        return err(ErrorCode.INVALID_CONFIG, `${c.name}=${c.value} is not supported (only ${only})`);
      configs[c.name] = c.value;
    }
    if (!req.validateOnly) {
      try {
        b.logs.create(t.name, partitions, configs);
      } catch (e) {
        return err(
          ErrorCode.UNKNOWN_SERVER_ERROR,
          `could not create topic '${t.name}': ${(e as Error).message}`,
        );
      }
      b.log(`created topic ${t.name} with ${partitions} partition(s)`);
    }
    return { name: t.name, errorCode: 0, errorMessage: null };
  });
  return { throttleTimeMs: 0, topics };
}

export function deleteTopics(
  b: Broker,
  _ctx: RequestContext,
  req: DeleteTopicsRequest,
): DeleteTopicsResponse {
  return {
    throttleTimeMs: 0,
    responses: req.topicNames.map((name) => {
      const t = b.topic(name);
      if (!t) return { name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
      b.logs.delete(name);
      b.groups.offsets.deleteTopic(name);
      for (let p = 0; p < t.logs.length; p++) b.notify(name, p);
      return { name, errorCode: 0 };
    }),
  };
}

export function createPartitions(
  b: Broker,
  _ctx: RequestContext,
  req: CreatePartitionsRequest,
): CreatePartitionsResponse {
  return {
    throttleTimeMs: 0,
    results: req.topics.map((t) => {
      const topic = b.topic(t.name);
      if (!topic)
        return {
          name: t.name,
          errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          errorMessage: 'unknown topic',
        };
      if (t.count > MAX_PARTITIONS) {
        return {
          name: t.name,
          errorCode: ErrorCode.INVALID_PARTITIONS,
          errorMessage: `At most ${MAX_PARTITIONS} partitions per topic.`,
        };
      }
      const room = t.count > topic.logs.length ? partitionRoom(b, t.count - topic.logs.length) : undefined;
      if (room) return { name: t.name, errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: room };
      if (t.count <= topic.logs.length) {
        return {
          name: t.name,
          errorCode: ErrorCode.INVALID_PARTITIONS,
          errorMessage: `Topic currently has ${topic.logs.length} partitions, which is higher than the requested ${t.count}.`,
        };
      }
      if (!req.validateOnly) {
        try {
          b.logs.addPartitions(t.name, t.count);
        } catch (e) {
          return {
            name: t.name,
            errorCode: ErrorCode.UNKNOWN_SERVER_ERROR,
            errorMessage: `could not add partitions: ${(e as Error).message}`,
          };
        }
      }
      return { name: t.name, errorCode: 0, errorMessage: null };
    }),
  };
}

export function deleteRecords(
  b: Broker,
  _ctx: RequestContext,
  req: DeleteRecordsRequest,
): DeleteRecordsResponse {
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const log = b.partitionLog(t.name, p.partitionIndex);
        if (!log)
          return {
            partitionIndex: p.partitionIndex,
            lowWatermark: -1,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          };
        if (p.offset > log.nextOffset)
          return {
            partitionIndex: p.partitionIndex,
            lowWatermark: -1,
            errorCode: ErrorCode.OFFSET_OUT_OF_RANGE,
          };
        return {
          partitionIndex: p.partitionIndex,
          lowWatermark: log.deleteRecordsBefore(p.offset),
          errorCode: 0,
        };
      }),
    })),
  };
}

function entry(name: string, value: string, isDefault: boolean, source: number): DescribedConfig {
  return { name, value, readOnly: false, isDefault, configSource: source, isSensitive: false, synonyms: [] };
}

export function describeConfigs(
  b: Broker,
  _ctx: RequestContext,
  req: DescribeConfigsRequest,
): DescribeConfigsResponse {
  return {
    throttleTimeMs: 0,
    results: req.resources.map((r) => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      let configs: DescribedConfig[];
      if (r.resourceType === TOPIC_RESOURCE) {
        const t = b.topic(r.resourceName);
        if (!t)
          return {
            ...base,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            errorMessage: 'unknown topic',
            configs: [],
          };
        const eff = b.logs.configFor(t.meta.configs);
        const o = t.meta.configs;
        const v = (k: string, d: string) =>
          entry(k, o[k] ?? d, o[k] === undefined, o[k] === undefined ? SOURCE_DEFAULT : SOURCE_TOPIC);
        configs = [
          v('cleanup.policy', 'delete'),
          v('retention.ms', String(eff.retentionMs)),
          v('retention.bytes', String(eff.retentionBytes)),
          v('segment.bytes', String(eff.segmentBytes)),
          v('segment.ms', String(eff.segmentMs)),
          v('max.message.bytes', String(eff.maxMessageBytes)),
          v('min.insync.replicas', '1'),
          v('compression.type', 'producer'),
          v('message.timestamp.type', 'CreateTime'),
        ];
      } else if (r.resourceType === BROKER_RESOURCE) {
        configs = [
          entry('broker.id', String(b.nodeId), false, SOURCE_STATIC_BROKER),
          entry('num.partitions', String(b.defaultPartitions), false, SOURCE_STATIC_BROKER),
          entry('auto.create.topics.enable', String(b.autoCreate), false, SOURCE_STATIC_BROKER),
          entry('log.dirs', b.options.dataDir, false, SOURCE_STATIC_BROKER),
          entry('default.replication.factor', '1', true, SOURCE_DEFAULT),
        ];
      } else {
        return {
          ...base,
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: `unsupported resource type ${r.resourceType}`,
          configs: [],
        };
      }
      const keys = r.configurationKeys;
      if (keys && keys.length > 0) configs = configs.filter((c) => keys.includes(c.name));
      return { ...base, errorCode: 0, errorMessage: null, configs };
    }),
  };
}
