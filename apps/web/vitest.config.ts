import { defineProject } from 'vitest/config';

// Unit tests of the dashboard's pure logic (components are proven by the Chromium journeys in e2e/).
export default defineProject({
  test: { name: 'web', include: ['src/**/*.test.ts'], environment: 'node' },
});
