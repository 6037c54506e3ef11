import fp from 'fastify-plugin';
import { Kafka, logLevel } from 'kafkajs';
import { MessageBrowser } from './message-browser.js';
import { TopicAdmin } from './topic-admin.js';
import { TopicTails, tailRoom } from './topic-tail.js';

declare module 'fastify' {
  interface FastifyInstance {
    topics: { admin: TopicAdmin; browser: MessageBrowser; tails: TopicTails };
  }
}

/** Topic browses running at once (each is a consumer); one more answers 429. */
export const MAX_CONCURRENT_BROWSES = 8;

/**
 * The topic browser against the configured cluster (`app.kafka.bootstrap`: the embedded broker or
 * KAFKA_BROKERS, with the `SLUICE_KAFKA_*` security options): administration, browsing, producing,
 * and the `topic:<name>` live tails.
 */
export const topicsPlugin = fp(
  async (app) => {
    const kafka = new Kafka({
      ...app.kafka.clientConfig('sluice-server-topics'),
      logLevel: logLevel.NOTHING,
      retry: { retries: 3 },
    });
    const admin = new TopicAdmin(kafka);
    const browser = new MessageBrowser(kafka, admin, MAX_CONCURRENT_BROWSES);
    const tails = new TopicTails(kafka, admin, app.io, app.log);
    const topicOf = (room: string) => room.slice(tailRoom('').length);
    app.rooms.register(tailRoom(''), {
      beforeJoin: async (room) => {
        await admin.withAdmin((a) => admin.assertExists(a, topicOf(room)));
      },
      afterJoin: (room) => tails.ensure(topicOf(room)),
      onEmpty: (room) => tails.stop(topicOf(room)),
    });
    app.decorate('topics', { admin, browser, tails });
    // preClose: the tails' consumers leave before the embedded broker stops (onClose).
    app.addHook('preClose', () => tails.close());
  },
  { name: 'topics', dependencies: ['kafka', 'realtime'] },
);
