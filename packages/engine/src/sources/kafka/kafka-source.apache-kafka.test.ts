/**
 * The Kafka source suite (kafka-source.test.ts), unchanged, against Apache Kafka itself — the
 * reference implementation — instead of the embedded broker.
 */
import { runAgainst } from './test-support/kafka-test-env.js';

runAgainst('apache-kafka');
await import('./kafka-source.test.js');
