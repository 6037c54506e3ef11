/**
 * The seeds' stream-stream attribution join (seeds-attribution.test.ts), unchanged, against Apache
 * Kafka itself.
 */
import { runAgainst } from '../sources/kafka/test-support/kafka-test-env.js';

runAgainst('apache-kafka');
await import('./seeds-attribution.test.js');
