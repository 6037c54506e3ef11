/** The seeds' Kafka → Kafka patterns (seeds-kafka-patterns.test.ts), unchanged, against Apache Kafka itself. */
import { runAgainst } from '../sources/kafka/test-support/kafka-test-env.js';

runAgainst('apache-kafka');
await import('./seeds-kafka-patterns.test.js');
