import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api';
import type { ColumnSchema, QuerySpec } from '../../../lib/sluice-types';

export interface Preview {
  id: string;
  table: string;
  schema: ColumnSchema[];
}

export interface PreviewRequest {
  spec: QuerySpec;
  maxRows?: number;
  maxSeconds?: number;
}

export function createPreview(request: PreviewRequest): Promise<Preview> {
  return apiRequest<Preview>('/api/previews', { method: 'POST', body: request });
}

export function useCreatePreview() {
  return useMutation({ mutationFn: createPreview });
}
