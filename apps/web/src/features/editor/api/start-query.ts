import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api';
import type { QueryView } from '../../../lib/sluice-types';

export function startQuery(id: string): Promise<QueryView> {
  return apiRequest<QueryView>(`/api/queries/${encodeURIComponent(id)}/start`, { method: 'POST' });
}

export function useStartEditedQuery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: startQuery,
    onSuccess: (view) => {
      client.setQueryData(['queries', 'detail', view.id], view);
      void client.invalidateQueries({ queryKey: ['queries', 'list'] });
    },
  });
}
