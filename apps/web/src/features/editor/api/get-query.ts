import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson } from '../../../lib/api';
import type { QueryView } from '../../../lib/sluice-types';

export function getQuery(id: string, signal?: AbortSignal): Promise<QueryView> {
  return getJson<QueryView>(`/api/queries/${encodeURIComponent(id)}`, signal);
}

/** The query being edited (same cache entry as the query's detail page). */
export const getQueryQuery = (id: string) =>
  queryOptions({ queryKey: ['queries', 'detail', id], queryFn: ({ signal }) => getQuery(id, signal) });

export function useEditedQuery(id: string | undefined) {
  return useQuery({ ...getQueryQuery(id ?? ''), enabled: id !== undefined });
}
