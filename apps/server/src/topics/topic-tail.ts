import { followKafkaTopic, type KafkaRecord, type KafkaTopicFollower } from '@sluice/engine';
import type { FastifyBaseLogger } from 'fastify';
import type { Kafka } from 'kafkajs';
import type { Server } from 'socket.io';
import { recordView } from './message-view.js';
import type { TopicAdmin } from './topic-admin.js';

/** At most this many `message` events per topic and second; the rest are counted in `skipped` events. */
export const TAIL_MAX_MESSAGES_PER_SECOND = 500;

/** How often a tail looks for partitions added to its topic. */
const PARTITION_REFRESH_MS = 10_000;

/** The room a topic's live tail publishes to. */
export const tailRoom = (topic: string) => `topic:${topic}`;

/**
 * Follows one topic for the `topic:<name>` room from each partition's end when it starts, as the
 * Kafka source reads (no consumer group), publishing every new record as a `message` event.
 * Stopped when the room empties.
 */
class TopicTail {
  private follower: KafkaTopicFollower | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private windowStart = 0;
  private sentInWindow = 0;
  private skipped = 0;
  readonly started: Promise<void>;

  constructor(
    private readonly topic: string,
    private readonly kafka: Kafka,
    private readonly admin: TopicAdmin,
    private readonly io: Server,
    private readonly log: FastifyBaseLogger,
  ) {
    this.started = this.start();
    this.started.catch(() => {});
  }

  private async start(): Promise<void> {
    // The ends are read first: a record produced once the subscriber's ack arrived is at or after
    // them, so the tail never misses it.
    const ends = await this.admin.withAdmin(async (admin) => {
      await this.admin.assertExists(admin, this.topic);
      return this.admin.offsetsOf(admin, this.topic);
    });
    if (this.stopped) return;
    this.follower = followKafkaTopic(
      this.kafka,
      this.topic,
      ends.map((e) => ({ partition: e.partition, offset: e.latest })),
      (records) => {
        for (const r of records) this.publish(r);
      },
      (error) => this.log.warn({ err: error, topic: this.topic }, 'topic tail stopped reading'),
    );
    this.refreshTimer = setInterval(() => {
      this.refreshPartitions().catch((error: unknown) =>
        this.log.warn({ err: error, topic: this.topic }, 'topic tail could not list partitions'),
      );
    }, PARTITION_REFRESH_MS);
    this.refreshTimer.unref();
  }

  /** Follows the partitions added to the topic since the tail started, from their first record. */
  async refreshPartitions(): Promise<void> {
    await this.started;
    const offsets = await this.admin.withAdmin((admin) => this.admin.offsetsOf(admin, this.topic));
    for (const p of offsets) this.follower?.follow(p.partition, p.earliest);
  }

  private publish(record: KafkaRecord): void {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      if (this.skipped > 0)
        this.io.to(tailRoom(this.topic)).emit('skipped', { topic: this.topic, count: this.skipped });
      this.windowStart = now;
      this.sentInWindow = 0;
      this.skipped = 0;
    }
    if (this.sentInWindow >= TAIL_MAX_MESSAGES_PER_SECOND) {
      this.skipped++;
      return;
    }
    this.sentInWindow++;
    this.io.to(tailRoom(this.topic)).emit('message', recordView(this.topic, record));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.refreshTimer);
    await this.started.catch(() => {});
    await this.follower?.stop().catch(() => {});
  }
}

/**
 * One tail per topic while its room has members: started by the first subscriber, stopped when the
 * last one unsubscribes or disconnects. Start and stop of one topic are serialised.
 */
export class TopicTails {
  private readonly tails = new Map<string, TopicTail>();
  private readonly stopping = new Map<string, Promise<void>>();

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: TopicAdmin,
    private readonly io: Server,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Resolves once the topic's tail is following it (starting one if needed). */
  async ensure(topic: string): Promise<void> {
    await this.stopping.get(topic);
    let tail = this.tails.get(topic);
    if (!tail) {
      tail = new TopicTail(topic, this.kafka, this.admin, this.io, this.log);
      this.tails.set(topic, tail);
      const started = tail;
      tail.started.catch((error: unknown) => {
        this.log.warn({ err: error, topic }, 'topic tail failed');
        if (this.tails.get(topic) === started) this.tails.delete(topic);
      });
    }
    await tail.started;
  }

  /** The room is empty: stop following the topic. */
  stop(topic: string): void {
    const tail = this.tails.get(topic);
    if (!tail) return;
    this.tails.delete(topic);
    const stopped = tail.stop().finally(() => {
      if (this.stopping.get(topic) === stopped) this.stopping.delete(topic);
    });
    this.stopping.set(topic, stopped);
  }

  /** Has the topic's tail (if any) look for partitions added since it started now. */
  async refreshPartitions(topic: string): Promise<void> {
    await this.tails.get(topic)?.refreshPartitions();
  }

  get following(): string[] {
    return [...this.tails.keys()];
  }

  async close(): Promise<void> {
    for (const topic of [...this.tails.keys()]) this.stop(topic);
    await Promise.all([...this.stopping.values()]);
  }
}
