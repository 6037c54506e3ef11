import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson } from '../../../lib/api';

export interface Version {
  version: string;
  engine: string;
  node: string;
  database: 'pg' | 'pglite';
  kafka: { mode: 'embedded' | 'external'; bootstrap: string[] };
}

export const versionQuery = queryOptions({
  queryKey: ['version'],
  queryFn: () => getJson<Version>('/api/version'),
  staleTime: 60_000,
});

export function useVersion() {
  return useQuery(versionQuery);
}
