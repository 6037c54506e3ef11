import { Kafka, logLevel } from 'kafkajs';

/** A record a query could not process, with the context it dead-letters it with. */
export interface DeadLetter {
  key: string | null;
  value: string;
  sourceTopic: string;
  sourceOffset: number;
  queryName: string;
  queryId: string;
  runId: string;
  errorClass: string;
  message: string;
}

/**
 * Produces dead letters to `<queryName>.dlq` exactly as a query does (the engine's dead-letter
 * contract: original key and value, `__sluice.errors.*` context headers).
 */
export async function produceDeadLetters(
  brokers: string[],
  topic: string,
  letters: DeadLetter[],
): Promise<void> {
  const kafka = new Kafka({ clientId: 'sluice-e2e-dlq', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: letters.map((l) => ({
        key: l.key,
        value: l.value,
        headers: {
          '__sluice.errors.topic': l.sourceTopic,
          '__sluice.errors.partition': '0',
          '__sluice.errors.offset': String(l.sourceOffset),
          '__sluice.errors.query.id': l.queryId,
          '__sluice.errors.query.name': l.queryName,
          '__sluice.errors.run.id': l.runId,
          '__sluice.errors.batch.id': '0',
          '__sluice.errors.stage': 'parse',
          '__sluice.errors.exception.class.name': l.errorClass,
          '__sluice.errors.exception.message': l.message,
          '__sluice.errors.exception.stacktrace': `SparkRuntimeException: ${l.message}\n    at parseJson (from_json)`,
          '__sluice.errors.timestamp': String(Date.now()),
        },
      })),
    });
  } finally {
    await producer.disconnect();
  }
}
