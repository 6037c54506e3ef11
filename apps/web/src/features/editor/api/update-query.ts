import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api';
import type { QuerySpec, QueryView } from '../../../lib/sluice-types';

export function updateQuery({ id, spec }: { id: string; spec: QuerySpec }): Promise<QueryView> {
  return apiRequest<QueryView>(`/api/queries/${encodeURIComponent(id)}`, { method: 'PUT', body: spec });
}

export function useUpdateQuery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: updateQuery,
    onSuccess: (view) => {
      client.setQueryData(['queries', 'detail', view.id], view);
      void client.invalidateQueries({ queryKey: ['queries', 'list'] });
    },
  });
}
