import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api';
import type { QueryView } from '../../../lib/sluice-types';
import { queryKeys } from './query-keys';

export function restartQuery(id: string): Promise<QueryView> {
  return apiRequest<QueryView>(`/api/queries/${encodeURIComponent(id)}/restart`, { method: 'POST' });
}

export function useRestartQuery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: restartQuery,
    onSuccess: (view) => {
      client.setQueryData(queryKeys.detail(view.id), view);
      void client.invalidateQueries({ queryKey: queryKeys.list() });
    },
  });
}
