import { describe, expect, it } from 'vitest';
import type { StreamingQueryProgress } from '../../lib/sluice-types';
import { batchMetrics } from './progress-metrics';

const progress = (over: Partial<StreamingQueryProgress>): StreamingQueryProgress => ({
  id: 'q',
  runId: 'r',
  name: 'orders',
  timestamp: '2026-12-05T20:00:00.000Z',
  batchId: 0,
  batchDuration: 10,
  numInputRows: 100,
  stateOperators: [],
  sources: [],
  sink: { description: 'memory', numOutputRows: 90 },
  ...over,
});

describe('batchMetrics', () => {
  // The engine's observation of a dead-lettering query's batch (stream-execution.ts: the total of
  // every stage), as the server stores and pushes it.
  it('takes the dead letters per batch from the deadLetters observation', () => {
    const b = batchMetrics(progress({ observedMetrics: { deadLetters: { numDeadLetters: 10 } } }));
    expect(b.deadLetters).toBe(10);
  });

  it('has no dead-letter figure for a query that fails or drops instead', () => {
    expect(batchMetrics(progress({})).deadLetters).toBeNull();
    expect(
      batchMetrics(progress({ observedMetrics: { deadLetters: { numDroppedRecords: 3 } } })).deadLetters,
    ).toBeNull();
  });
});
