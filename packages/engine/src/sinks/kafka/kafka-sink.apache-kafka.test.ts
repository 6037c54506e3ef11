/**
 * The Kafka sink suite and the seeds' Kafka examples (kafka-sink.test.ts), unchanged, against Apache
 * Kafka itself — the reference implementation — instead of the embedded broker.
 */
import { runAgainst } from '../../sources/kafka/test-support/kafka-test-env.js';

runAgainst('apache-kafka');
await import('./kafka-sink.test.js');
