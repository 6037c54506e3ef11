import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['sluice-source'] },
  ssr: { resolve: { conditions: ['sluice-source'] } },
  test: { name: 'oracle', include: ['src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 },
});
