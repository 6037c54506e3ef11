import { join } from 'node:path';
import { startBroker } from '@sluice/broker';
import { kafkaClientConfig } from '@sluice/engine';
import fp from 'fastify-plugin';
import type { KafkaConfig } from 'kafkajs';

declare module 'fastify' {
  interface FastifyInstance {
    kafka: KafkaConnection;
  }
}

export interface KafkaConnection {
  /** `embedded` = the in-process Kafka-wire-protocol broker; `external` = the user's cluster. */
  readonly mode: 'embedded' | 'external';
  readonly bootstrap: readonly string[];
  /** `kafka.*` options of the server's own clients (security, client id, timeouts), from `SLUICE_KAFKA_*`. */
  readonly clientOptions: Readonly<Record<string, string>>;
  /** A kafkajs config for one of the server's clients: the bootstrap servers and `clientOptions`, mapped as the engine maps a query's. */
  clientConfig(clientId: string): KafkaConfig;
}

export interface KafkaPluginOptions {
  /** A real cluster's bootstrap servers; when absent the embedded broker is started. */
  brokers: readonly string[] | undefined;
  dataDir: string;
  embeddedPort: number;
  /** `kafka.*` options for the server's own clients (security needs `brokers`). */
  clientOptions?: Readonly<Record<string, string>>;
}

function connection(
  mode: KafkaConnection['mode'],
  bootstrap: readonly string[],
  clientOptions: Readonly<Record<string, string>>,
): KafkaConnection {
  return {
    mode,
    bootstrap,
    clientOptions,
    clientConfig: (clientId) => ({
      ...kafkaClientConfig({ ...clientOptions, 'kafka.bootstrap.servers': bootstrap.join(',') }, 'consumer'),
      // An operator's kafka.client.id names every client of the server; otherwise each says what it is.
      clientId: clientOptions['kafka.client.id'] ?? clientId,
    }),
  };
}

/**
 * Where the engine's Kafka sources and sinks connect. The engine only ever sees bootstrap
 * addresses, so the embedded broker and a real cluster are interchangeable.
 */
export const kafkaPlugin = fp<KafkaPluginOptions>(
  async (app, options) => {
    if (options.brokers) {
      app.decorate('kafka', connection('external', options.brokers, options.clientOptions ?? {}));
      app.log.info({ bootstrap: options.brokers }, 'using external Kafka');
      return;
    }
    const broker = await startBroker({
      host: '127.0.0.1',
      port: options.embeddedPort,
      dataDir: join(options.dataDir, 'broker'),
    });
    app.decorate('kafka', connection('embedded', [broker.bootstrap], options.clientOptions ?? {}));
    app.log.info({ bootstrap: broker.bootstrap }, 'embedded Kafka broker ready');
    app.addHook('onClose', () => broker.stop());
  },
  { name: 'kafka' },
);
