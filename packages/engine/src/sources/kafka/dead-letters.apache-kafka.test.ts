/**
 * The dead-letter suite (dead-letters.test.ts), unchanged, against Apache Kafka itself instead of the
 * embedded broker.
 */
import { runAgainst } from './test-support/kafka-test-env.js';

runAgainst('apache-kafka');
await import('./dead-letters.test.js');
