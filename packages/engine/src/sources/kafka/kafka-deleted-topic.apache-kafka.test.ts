/** The deleted-topic suite (kafka-deleted-topic.test.ts), unchanged, against Apache Kafka itself. */
import { runAgainst } from './test-support/kafka-test-env.js';

runAgainst('apache-kafka');
await import('./kafka-deleted-topic.test.js');
