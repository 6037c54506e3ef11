/**
 * Fetch requests over kafkajs's connections, with a response decoder of the source's own
 * (docs/decisions/0009). kafkajs keeps bootstrap, metadata, API versions, TLS, SASL and reconnects;
 * this module is the only one that reaches into its internals (the pinned kafkajs 2.2.4): the
 * cluster the `Kafka` instance builds for its clients, a broker's connection pool and the Fetch
 * request encoders.
 */
import { createRequire } from 'node:module';
import type { Kafka } from 'kafkajs';
import { type AbortedTransaction, int64 } from './record-batch-decoder.js';

const require = createRequire(import.meta.url);
const { requests } = require('kafkajs/src/protocol/requests') as { requests: Record<string, unknown> };
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys') as Record<string, number>;
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as {
  createErrorFromCode(code: number): Error & { retriable: boolean; type: string; code: number };
};

/** What this module uses of kafkajs's `Cluster` and `Broker`. */
interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number; leader: number | null }[];
  findBroker(args: { nodeId: number }): Promise<KafkajsBroker>;
}
interface ProtocolRequest {
  request: { apiVersion: number };
  response: { decode(raw: Buffer): Promise<unknown>; parse(decoded: unknown): Promise<unknown> };
  requestTimeout: number;
}
interface KafkajsBroker {
  lookupRequest(apiKey: number, definition: unknown): (args: Record<string, unknown>) => ProtocolRequest;
  connectionPool: { send(request: ProtocolRequest): Promise<unknown> };
}

/** A partition to fetch from `fetchOffset`. */
export interface FetchTarget {
  readonly topic: string;
  readonly partition: number;
  readonly fetchOffset: number;
}

/** One partition of a Fetch response; `records` is the raw record set (see record-batch-decoder.ts). */
export interface FetchedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly abortedTransactions: AbortedTransaction[] | null;
  readonly records: Buffer | null;
}

export interface FetchSettings {
  readonly maxWaitTimeInMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly maxBytesPerPartition: number;
}

export const OFFSET_OUT_OF_RANGE = 1;

/** A partition error as kafkajs names it, with whether Kafka calls it retriable. */
export function fetchError(code: number): Error & { retriable: boolean; type: string } {
  return createErrorFromCode(code);
}

/** The oldest Fetch version with isolation levels and aborted transactions (Kafka 0.11, format v2). */
const MIN_FETCH_VERSION = 4;

export class KafkaFetchClient {
  private readonly cluster: KafkajsCluster;
  private readonly topics = new Set<string>();

  constructor(
    kafka: Kafka,
    private readonly readCommitted: boolean,
  ) {
    // The factory `Kafka` builds its producers', consumers' and admins' clusters with: the same
    // brokers, TLS, SASL, timeouts, retry and logger as every other client of this source.
    const create = Object.getOwnPropertySymbols(kafka).find(
      (s) => s.description === 'private:Kafka:createCluster',
    );
    if (!create)
      throw new Error('kafkajs changed: the Kafka source needs kafkajs 2.2.4 (its cluster factory)');
    const factory = (kafka as unknown as Record<symbol, (o: object) => KafkajsCluster>)[create]!;
    this.cluster = factory({ allowAutoTopicCreation: false, isolationLevel: readCommitted ? 1 : 0 });
  }

  async connect(): Promise<void> {
    await this.cluster.connect();
  }

  /** Adds topics to the cluster's metadata (fetching it). */
  async addTopics(topics: Iterable<string>): Promise<void> {
    const fresh = [...topics].filter((t) => !this.topics.has(t));
    if (fresh.length === 0) return;
    await this.cluster.addMultipleTargetTopics(fresh);
    for (const t of fresh) this.topics.add(t);
  }

  /** Whether every topic is in the metadata already (`addTopics` would have nothing to do). */
  knows(topics: Iterable<string>): boolean {
    for (const t of topics) if (!this.topics.has(t)) return false;
    return true;
  }

  async refreshMetadata(): Promise<void> {
    await this.cluster.refreshMetadata();
  }

  /** The partition's leader as the metadata knows it (undefined: unknown partition or no leader). */
  leaderOf(topic: string, partition: number): number | undefined {
    try {
      const leader = this.cluster
        .findTopicPartitionMetadata(topic)
        .find((p) => p.partitionId === partition)?.leader;
      return leader === null || leader === undefined || leader < 0 ? undefined : leader;
    } catch {
      return undefined;
    }
  }

  /** One Fetch request to broker `nodeId` for `targets`; partition errors come back in the result. */
  async fetch(
    nodeId: number,
    targets: readonly FetchTarget[],
    settings: FetchSettings,
  ): Promise<FetchedPartition[]> {
    const broker = await this.cluster.findBroker({ nodeId });
    const byTopic = new Map<string, { partition: number; fetchOffset: string; maxBytes: number }[]>();
    for (const t of targets) {
      let list = byTopic.get(t.topic);
      if (!list) {
        list = [];
        byTopic.set(t.topic, list);
      }
      list.push({
        partition: t.partition,
        fetchOffset: String(t.fetchOffset),
        maxBytes: settings.maxBytesPerPartition,
      });
    }
    const request = broker.lookupRequest(
      apiKeys.Fetch!,
      requests.Fetch,
    )({
      replicaId: -1,
      isolationLevel: this.readCommitted ? 1 : 0,
      maxWaitTime: settings.maxWaitTimeInMs,
      minBytes: settings.minBytes,
      maxBytes: settings.maxBytes,
      topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
    });
    const version = request.request.apiVersion;
    if (version < MIN_FETCH_VERSION) {
      throw new Error(
        `The Kafka broker speaks Fetch v${version} at most; the Kafka source needs v${MIN_FETCH_VERSION} (Kafka 0.11 or later)`,
      );
    }
    request.response = {
      decode: async (raw: Buffer) => decodeFetchResponse(raw, version),
      parse: async (decoded: unknown) => decoded,
    };
    const decoded = (await broker.connectionPool.send(request)) as {
      errorCode: number;
      partitions: FetchedPartition[];
    };
    if (decoded.errorCode !== 0) throw fetchError(decoded.errorCode);
    return decoded.partitions;
  }

  async disconnect(): Promise<void> {
    await this.cluster.disconnect();
  }
}

/** Fetch responses v4–v11 (the non-flexible versions kafkajs negotiates). */
function decodeFetchResponse(
  raw: Buffer,
  version: number,
): { clientSideThrottleTime: number; errorCode: number; partitions: FetchedPartition[] } {
  let at = 0;
  const int16 = () => {
    const v = raw.readInt16BE(at);
    at += 2;
    return v;
  };
  const int32 = () => {
    const v = raw.readInt32BE(at);
    at += 4;
    return v;
  };
  const long = () => {
    const v = int64(raw, at);
    at += 8;
    return v;
  };
  const throttle = int32();
  let errorCode = 0;
  if (version >= 7) {
    errorCode = int16();
    int32(); // session id: no fetch sessions (session id 0, epoch -1 in every request)
  }
  const partitions: FetchedPartition[] = [];
  const topics = int32();
  for (let t = 0; t < topics; t++) {
    const nameLength = int16();
    const topic = raw.toString('utf8', at, at + nameLength);
    at += nameLength;
    const count = int32();
    for (let p = 0; p < count; p++) {
      const partition = int32();
      const partitionError = int16();
      const highWatermark = long();
      long(); // last stable offset
      if (version >= 5) long(); // log start offset
      const abortedCount = int32();
      let abortedTransactions: AbortedTransaction[] | null = null;
      if (abortedCount >= 0) {
        abortedTransactions = [];
        for (let a = 0; a < abortedCount; a++) {
          const producerId = raw.readBigInt64BE(at);
          at += 8;
          abortedTransactions.push({ producerId, firstOffset: long() });
        }
      }
      if (version >= 11) int32(); // preferred read replica
      const size = int32();
      let records: Buffer | null = null;
      if (size >= 0) {
        records = raw.subarray(at, at + size);
        at += size;
      }
      partitions.push({
        topic,
        partition,
        errorCode: partitionError,
        highWatermark,
        abortedTransactions,
        records,
      });
    }
  }
  // KIP-219: from v8 the broker expects the client to hold back for its throttle time.
  return { clientSideThrottleTime: version >= 8 ? throttle : 0, errorCode, partitions };
}
