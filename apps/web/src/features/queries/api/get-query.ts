import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson } from '../../../lib/api';
import type { QueryView } from '../../../lib/sluice-types';
import { queryKeys } from './query-keys';

export function getQuery(id: string, signal?: AbortSignal): Promise<QueryView> {
  return getJson<QueryView>(`/api/queries/${encodeURIComponent(id)}`, signal);
}

export const getQueryQuery = (id: string) =>
  queryOptions({ queryKey: queryKeys.detail(id), queryFn: ({ signal }) => getQuery(id, signal) });

export function useQueryView(id: string) {
  return useQuery(getQueryQuery(id));
}
