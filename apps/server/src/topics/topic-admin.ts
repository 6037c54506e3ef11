import kafkajs, { type Admin, type Kafka, type Producer } from 'kafkajs';

// kafkajs is CommonJS: Node's ESM loader does not see this one as a named export.
const { ConfigResourceTypes } = kafkajs;

import { HttpError } from '../queries/http-error.js';
import { decodeBytes } from './bytes.js';
import { mapKafkaErrors } from './kafka-errors.js';
import type { CreateTopicBody, ProduceBody, TopicDetail, TopicSummary } from './schemas.js';

/** Kafka's own topics (`__consumer_offsets`, `__transaction_state`) and Sluice's (`_sluice_…`). */
export function isInternalTopic(name: string): boolean {
  return name.startsWith('__') || name.startsWith('_sluice_');
}

export interface PartitionRange {
  partition: number;
  earliest: number;
  latest: number;
}

/**
 * Topic administration and producing against the configured cluster. Every call uses its own
 * short-lived admin or producer: a long-lived kafkajs client keeps refreshing metadata for every
 * topic it has touched and starts failing once one of them is deleted elsewhere.
 */
export class TopicAdmin {
  constructor(private readonly kafka: Kafka) {}

  async withAdmin<T>(run: (admin: Admin) => Promise<T>): Promise<T> {
    return mapKafkaErrors(async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        return await run(admin);
      } finally {
        await admin.disconnect().catch(() => {});
      }
    });
  }

  async list(): Promise<TopicSummary[]> {
    return this.withAdmin(async (admin) => {
      const names = (await admin.listTopics()).sort();
      const out: TopicSummary[] = [];
      for (const name of names) {
        // A topic deleted between the listing and its offsets is left out.
        const offsets = await this.offsetsOf(admin, name).catch(() => undefined);
        if (!offsets) continue;
        out.push({
          name,
          internal: isInternalTopic(name),
          partitions: offsets.length,
          messageCount: messageCount(offsets),
          offsets,
        });
      }
      return out;
    });
  }

  /** 404 unless the topic exists (checked without creating it: the admin client never auto-creates). */
  async assertExists(admin: Admin, topic: string): Promise<void> {
    const names = await admin.listTopics();
    if (!names.includes(topic)) throw HttpError.notFound(`topic '${topic}'`);
  }

  async offsetsOf(admin: Admin, topic: string): Promise<PartitionRange[]> {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets
      .map((o) => ({ partition: o.partition, earliest: Number(o.low), latest: Number(o.high) }))
      .sort((a, b) => a.partition - b.partition);
  }

  async describe(topic: string): Promise<TopicDetail> {
    return this.withAdmin(async (admin) => {
      await this.assertExists(admin, topic);
      const [metadata, offsets, configs] = await Promise.all([
        admin.fetchTopicMetadata({ topics: [topic] }),
        this.offsetsOf(admin, topic),
        admin.describeConfigs({
          resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
          includeSynonyms: false,
        }),
      ]);
      const partitions = (metadata.topics[0]?.partitions ?? [])
        .map((p) => {
          const range = offsets.find((o) => o.partition === p.partitionId);
          return {
            partition: p.partitionId,
            leader: p.leader,
            replicas: p.replicas,
            isr: p.isr,
            earliest: range?.earliest ?? 0,
            latest: range?.latest ?? 0,
          };
        })
        .sort((a, b) => a.partition - b.partition);
      const entries = configs.resources[0]?.configEntries ?? [];
      return {
        name: topic,
        internal: isInternalTopic(topic),
        messageCount: messageCount(offsets),
        partitions,
        configs: entries
          .map((c) => ({
            name: c.configName,
            value: c.isSensitive ? null : c.configValue,
            isDefault: c.isDefault,
            readOnly: c.readOnly,
            sensitive: c.isSensitive,
          }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
    });
  }

  async create(body: CreateTopicBody): Promise<TopicDetail> {
    await this.withAdmin(async (admin) => {
      const created = await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: body.name,
            numPartitions: body.partitions,
            ...(body.replicationFactor !== undefined ? { replicationFactor: body.replicationFactor } : {}),
            configEntries: Object.entries(body.configs ?? {}).map(([name, value]) => ({ name, value })),
          },
        ],
      });
      if (!created) {
        throw new HttpError(409, `topic '${body.name}' already exists`, {
          field: '/name',
          errorClass: 'TOPIC_ALREADY_EXISTS',
        });
      }
    });
    return this.describe(body.name);
  }

  async delete(topic: string): Promise<void> {
    await this.withAdmin(async (admin) => {
      await this.assertExists(admin, topic);
      await admin.deleteTopics({ topics: [topic] });
    });
  }

  async produce(
    topic: string,
    body: ProduceBody,
  ): Promise<{ topic: string; partition: number; offset: number }> {
    const key = decodeBytes(body.key, '/key');
    const value = decodeBytes(body.value, '/value');
    const headers: Record<string, Buffer> = {};
    for (const [name, header] of Object.entries(body.headers ?? {})) {
      headers[name] = decodeBytes(header, `/headers/${name}`) ?? Buffer.alloc(0);
    }
    await this.withAdmin(async (admin) => {
      await this.assertExists(admin, topic);
      if (body.partition !== undefined) {
        const partitions = (await this.offsetsOf(admin, topic)).length;
        if (body.partition >= partitions) {
          throw new HttpError(
            400,
            `topic '${topic}' has ${partitions} partition(s); ${body.partition} is not one`,
            {
              field: '/partition',
              errorClass: 'UNKNOWN_TOPIC_OR_PARTITION',
            },
          );
        }
      }
    });
    return mapKafkaErrors(async () => {
      const producer: Producer = this.kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      try {
        const [metadata] = await producer.send({
          topic,
          acks: -1,
          messages: [
            {
              key,
              value,
              headers,
              ...(body.partition !== undefined ? { partition: body.partition } : {}),
              ...(body.timestamp !== undefined ? { timestamp: String(Date.parse(body.timestamp)) } : {}),
            },
          ],
        });
        if (!metadata) throw new Error('the broker acknowledged no record');
        return {
          topic,
          partition: metadata.partition,
          offset: Number(metadata.baseOffset ?? metadata.offset),
        };
      } finally {
        await producer.disconnect().catch(() => {});
      }
    });
  }
}

export function messageCount(offsets: readonly PartitionRange[]): number {
  return offsets.reduce((sum, o) => sum + Math.max(0, o.latest - o.earliest), 0);
}
