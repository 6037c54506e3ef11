import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api';

export function deletePreview(id: string): Promise<void> {
  return apiRequest<void>(`/api/previews/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useDeletePreview() {
  return useMutation({ mutationFn: deletePreview });
}
