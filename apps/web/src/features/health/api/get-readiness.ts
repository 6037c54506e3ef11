import { queryOptions, useQuery } from '@tanstack/react-query';

export interface Readiness {
  status: 'ready' | 'unavailable';
  checks: { database: { ok: boolean; error?: string } };
}

export async function getReadiness(): Promise<Readiness> {
  const response = await fetch('/readyz');
  return (await response.json()) as Readiness;
}

export const readinessQuery = queryOptions({
  queryKey: ['readiness'],
  queryFn: getReadiness,
  refetchInterval: 5000,
});

export function useReadiness() {
  return useQuery(readinessQuery);
}
