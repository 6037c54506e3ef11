import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api';
import type { QuerySpec, QueryView } from '../../../lib/sluice-types';

export function createQuery({ spec, start }: { spec: QuerySpec; start: boolean }): Promise<QueryView> {
  return apiRequest<QueryView>(`/api/queries${start ? '?start=true' : ''}`, { method: 'POST', body: spec });
}

export function useCreateQuery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: createQuery,
    onSuccess: (view) => {
      client.setQueryData(['queries', 'detail', view.id], view);
      void client.invalidateQueries({ queryKey: ['queries', 'list'] });
    },
  });
}
