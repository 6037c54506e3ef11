import { defineConfig } from 'vitest/config';

// One run over every package so `npm test` ends on a single summary.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'e2e/vitest.config.ts'],
  },
});
