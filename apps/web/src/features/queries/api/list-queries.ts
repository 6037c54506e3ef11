import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson } from '../../../lib/api';
import type { QueryView } from '../../../lib/sluice-types';
import { queryKeys } from './query-keys';

interface QueryPage {
  items: QueryView[];
  nextCursor: string | null;
}

/** Every query, following the cursor to the last page. */
export async function listQueries(signal?: AbortSignal): Promise<QueryView[]> {
  const all: QueryView[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ limit: '500' });
    if (cursor) params.set('cursor', cursor);
    const page: QueryPage = await getJson<QueryPage>(`/api/queries?${params}`, signal);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

export const listQueriesQuery = queryOptions({
  queryKey: queryKeys.list(),
  queryFn: ({ signal }) => listQueries(signal),
});

export function useQueries() {
  return useQuery(listQueriesQuery);
}
