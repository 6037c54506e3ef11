// The V8 flags of every process that runs streaming queries: `npm start` (scripts/start.mjs) and the
// Nexmark benchmark (`bench:nexmark` in packages/bench/package.json, checked against this list by
// packages/bench/src/nexmark/node-flags.test.ts).
// - A larger young generation and an old space that starts large (docs/decisions/0014): streaming
//   allocates fast and keeps records briefly; with V8's defaults they are promoted and full
//   collections pause every batch.
// - No allocation-site pretenuring (docs/decisions/0015): a catch-up batch keeps its rows alive, V8
//   then allocates rows from those sites straight into the old space for the rest of the process's
//   life, and a steady stream pays a full collection every few seconds.
export const streamingNodeFlags = [
  '--max-semi-space-size=32',
  '--initial-old-space-size=256',
  '--no-allocation-site-pretenuring',
];
