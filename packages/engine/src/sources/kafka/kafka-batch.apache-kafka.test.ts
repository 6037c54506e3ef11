/** The batch Kafka suite (kafka-batch.test.ts), unchanged, against Apache Kafka itself. */
import { runAgainst } from './test-support/kafka-test-env.js';

runAgainst('apache-kafka');
await import('./kafka-batch.test.js');
