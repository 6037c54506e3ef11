import { defineConfig } from 'vitest/config';
import { ensureApacheKafkaJars } from './packages/broker/src/testing/apache-kafka.js';
// @ts-expect-error: a plain .mjs script shared with `npm test`, no type declarations.
import { ensureTestPostgres } from './scripts/test-postgres.mjs';

// The tests' Postgres: `npm test` sets TEST_DATABASE_URL already; a direct `vitest run` from the
// root starts (or reuses) the same trust-auth test cluster, so every entry point finds real Postgres.
process.env.TEST_DATABASE_URL ??= await ensureTestPostgres();
// Apache Kafka's jars (the reference broker some suites also run against): resolved once here, not
// by several test processes at the same time.
await ensureApacheKafkaJars();

// One run over every package so `npm test` ends on a single summary.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'e2e/vitest.config.ts'],
  },
});
