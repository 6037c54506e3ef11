import { join } from 'node:path';
import { startBroker } from '@sluice/broker';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    kafka: KafkaConnection;
  }
}

export interface KafkaConnection {
  /** `embedded` = the in-process Kafka-wire-protocol broker; `external` = the user's cluster. */
  readonly mode: 'embedded' | 'external';
  readonly bootstrap: readonly string[];
}

export interface KafkaPluginOptions {
  /** A real cluster's bootstrap servers; when absent the embedded broker is started. */
  brokers: readonly string[] | undefined;
  dataDir: string;
  embeddedPort: number;
}

/**
 * Where the engine's Kafka sources and sinks connect. The engine only ever sees bootstrap
 * addresses, so the embedded broker and a real cluster are interchangeable.
 */
export const kafkaPlugin = fp<KafkaPluginOptions>(
  async (app, options) => {
    if (options.brokers) {
      app.decorate('kafka', { mode: 'external', bootstrap: options.brokers });
      app.log.info({ bootstrap: options.brokers }, 'using external Kafka');
      return;
    }
    const broker = await startBroker({
      host: '127.0.0.1',
      port: options.embeddedPort,
      dataDir: join(options.dataDir, 'broker'),
    });
    app.decorate('kafka', { mode: 'embedded', bootstrap: [broker.bootstrap] });
    app.log.info({ bootstrap: broker.bootstrap }, 'embedded Kafka broker ready');
    app.addHook('onClose', () => broker.stop());
  },
  { name: 'kafka' },
);
