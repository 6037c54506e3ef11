import { Kafka, logLevel, type Producer } from 'kafkajs';

/** The server's Kafka bootstrap servers, as its version route reports them. */
export async function serverBootstrap(serverUrl: string, token?: string): Promise<string[]> {
  const response = await fetch(`${serverUrl}/api/version`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) throw new Error(`GET /api/version answered ${response.status}`);
  const version = (await response.json()) as { kafka: { bootstrap: string[] } };
  return version.kafka.bootstrap;
}

export interface TopicProducer {
  send(...values: string[]): Promise<void>;
  close(): Promise<void>;
}

/** Creates `topic` on the server's broker and returns a producer for it. */
export async function topicProducer(brokers: string[], topic: string): Promise<TopicProducer> {
  const kafka = new Kafka({ clientId: 'sluice-e2e', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  return {
    send: async (...values) => {
      await producer.send({ topic, messages: values.map((value) => ({ value })) });
    },
    close: () => producer.disconnect(),
  };
}
