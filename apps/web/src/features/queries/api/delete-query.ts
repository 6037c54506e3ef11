import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api';
import type { QueryView } from '../../../lib/sluice-types';
import { queryKeys } from './query-keys';

export function deleteQuery({ id, checkpoint }: { id: string; checkpoint: boolean }): Promise<void> {
  return apiRequest<void>(`/api/queries/${encodeURIComponent(id)}${checkpoint ? '?checkpoint=true' : ''}`, {
    method: 'DELETE',
  });
}

export function useDeleteQuery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: deleteQuery,
    onSuccess: (_, { id }) => {
      client.setQueryData<QueryView[]>(queryKeys.list(), (list) => list?.filter((q) => q.id !== id));
      client.removeQueries({ queryKey: queryKeys.detail(id) });
      client.removeQueries({ queryKey: queryKeys.progress(id) });
      void client.invalidateQueries({ queryKey: queryKeys.list() });
    },
  });
}
