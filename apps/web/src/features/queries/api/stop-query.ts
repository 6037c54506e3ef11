import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api';
import type { QueryView } from '../../../lib/sluice-types';
import { queryKeys } from './query-keys';

export function stopQuery(id: string): Promise<QueryView> {
  return apiRequest<QueryView>(`/api/queries/${encodeURIComponent(id)}/stop`, { method: 'POST' });
}

export function useStopQuery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: stopQuery,
    onSuccess: (view) => {
      client.setQueryData(queryKeys.detail(view.id), view);
      void client.invalidateQueries({ queryKey: queryKeys.list() });
    },
  });
}
