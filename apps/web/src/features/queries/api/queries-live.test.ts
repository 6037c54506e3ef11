import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { StreamingQueryProgress } from '../../../lib/sluice-types';
import { applyProgress } from './queries-live';
import { queryKeys } from './query-keys';

const QUERY = '00000000-0000-0000-0000-000000000001';
const batch = (batchId: number): StreamingQueryProgress => ({
  id: QUERY,
  runId: 'run-1',
  name: 'q',
  timestamp: new Date(batchId * 1000).toISOString(),
  batchId,
  batchDuration: 1,
  numInputRows: 1,
  stateOperators: [],
  sources: [],
  sink: { description: 'memory', numOutputRows: 1 },
});

/**
 * The server stores a batch's progress before it pushes it; a history read that started earlier
 * answers without it. The page must still end up with every batch.
 */
describe('applyProgress', () => {
  it('keeps a batch pushed while the first history read is in flight (and answers without it)', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const stored: StreamingQueryProgress[] = [];
    const reads: Array<() => void> = [];
    const observer = new QueryObserver(client, {
      queryKey: queryKeys.progress(QUERY),
      // Each read snapshots the store when it starts and answers when the test lets it.
      queryFn: () => {
        const snapshot = [...stored];
        return new Promise<StreamingQueryProgress[]>((resolve) => reads.push(() => resolve(snapshot)));
      },
      staleTime: Number.POSITIVE_INFINITY,
    });
    const unsubscribe = observer.subscribe(() => {});
    await expect.poll(() => reads.length).toBe(1);

    stored.push(batch(0));
    applyProgress(client, { queryId: QUERY, progress: batch(0) });
    reads[0]?.(); // the first read answers [] after the push
    await expect.poll(() => reads.length).toBe(2);
    reads[1]?.();
    await expect
      .poll(() => client.getQueryData<StreamingQueryProgress[]>(queryKeys.progress(QUERY)))
      .toEqual([batch(0)]);

    stored.push(batch(1));
    applyProgress(client, { queryId: QUERY, progress: batch(1) });
    expect(
      client.getQueryData<StreamingQueryProgress[]>(queryKeys.progress(QUERY))?.map((p) => p.batchId),
    ).toEqual([0, 1]);
    unsubscribe();
    client.clear();
  });
});
