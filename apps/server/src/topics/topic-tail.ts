import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Consumer, Kafka } from 'kafkajs';
import type { Server } from 'socket.io';
import { messageView } from './message-view.js';
import type { TopicAdmin } from './topic-admin.js';

/** At most this many `message` events per topic and second; the rest are counted in `skipped` events. */
export const TAIL_MAX_MESSAGES_PER_SECOND = 500;

/** The room a topic's live tail publishes to. */
export const tailRoom = (topic: string) => `topic:${topic}`;

/**
 * Follows one topic for the `topic:<name>` room: a consumer of a throwaway group (never committing),
 * positioned at each partition's end when it starts, publishing every new record as a `message`
 * event. Stopped (and its group deleted) when the room empties.
 */
class TopicTail {
  private consumer: Consumer | undefined;
  private readonly groupId = `sluice-tail-${randomUUID()}`;
  private windowStart = 0;
  private sentInWindow = 0;
  private skipped = 0;
  readonly started: Promise<void>;

  constructor(
    private readonly topic: string,
    private readonly kafka: Kafka,
    private readonly admin: TopicAdmin,
    private readonly io: Server,
  ) {
    this.started = this.start();
    this.started.catch(() => {});
  }

  private async start(): Promise<void> {
    // The ends are read before the consumer exists: a record produced once the subscriber's ack
    // arrived is at or after them, so the tail never misses it.
    const ends = await this.admin.withAdmin(async (admin) => {
      await this.admin.assertExists(admin, this.topic);
      return this.admin.offsetsOf(admin, this.topic);
    });
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 250,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic], fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) this.publish(batch.partition, message);
      },
    });
    for (const end of ends)
      consumer.seek({ topic: this.topic, partition: end.partition, offset: String(end.latest) });
  }

  private publish(partition: number, message: Parameters<typeof messageView>[2]): void {
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
    this.io.to(tailRoom(this.topic)).emit('message', messageView(this.topic, partition, message));
  }

  async stop(): Promise<void> {
    await this.started.catch(() => {});
    await this.consumer?.disconnect().catch(() => {});
    await this.admin.withAdmin((admin) => admin.deleteGroups([this.groupId])).catch(() => {});
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
      tail = new TopicTail(topic, this.kafka, this.admin, this.io);
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

  get following(): string[] {
    return [...this.tails.keys()];
  }

  async close(): Promise<void> {
    for (const topic of [...this.tails.keys()]) this.stop(topic);
    await Promise.all([...this.stopping.values()]);
  }
}
