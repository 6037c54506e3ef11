import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson } from '../../../lib/api';

export interface EngineFunction {
  name: string;
  kind: 'scalar' | 'aggregate' | 'generator';
}

export function listFunctions(signal?: AbortSignal): Promise<EngineFunction[]> {
  return getJson<EngineFunction[]>('/api/functions', signal);
}

export const listFunctionsQuery = queryOptions({
  queryKey: ['editor', 'functions'],
  queryFn: ({ signal }) => listFunctions(signal),
  staleTime: Number.POSITIVE_INFINITY,
});

export function useFunctions() {
  return useQuery(listFunctionsQuery);
}
