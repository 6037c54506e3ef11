import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson } from '../../../lib/api';
import type { StreamingQueryProgress } from '../../../lib/sluice-types';
import { PROGRESS_HISTORY, queryKeys } from './query-keys';

interface ProgressPage {
  items: StreamingQueryProgress[];
  nextCursor: string | null;
}

/**
 * The last `PROGRESS_HISTORY` batches (oldest first). `lastBatchId` (from the query's lastProgress)
 * says where the history ends, so only its tail is read.
 */
export async function getQueryProgress(
  id: string,
  lastBatchId: number | undefined,
  signal?: AbortSignal,
): Promise<StreamingQueryProgress[]> {
  const items: StreamingQueryProgress[] = [];
  let cursor: string | null = null;
  const since = lastBatchId === undefined ? undefined : lastBatchId - PROGRESS_HISTORY;
  do {
    const params = new URLSearchParams({ limit: '1000' });
    if (since !== undefined && since >= 0) params.set('sinceBatchId', String(since));
    if (cursor) params.set('cursor', cursor);
    const page: ProgressPage = await getJson<ProgressPage>(
      `/api/queries/${encodeURIComponent(id)}/progress?${params}`,
      signal,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items.slice(-PROGRESS_HISTORY);
}

export const getQueryProgressQuery = (id: string, lastBatchId: number | undefined) =>
  queryOptions({
    queryKey: queryKeys.progress(id),
    queryFn: ({ signal }) => getQueryProgress(id, lastBatchId, signal),
    // Socket events keep it current; a refetch would only repeat what they brought.
    staleTime: Number.POSITIVE_INFINITY,
  });

export function useQueryProgress(id: string, lastBatchId: number | undefined, enabled = true) {
  return useQuery({ ...getQueryProgressQuery(id, lastBatchId), enabled });
}
