import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api';
import type { ColumnSchema, OutputMode, QuerySpec } from '../../../lib/sluice-types';

export interface ValidationError {
  message: string;
  errorClass: string | null;
  line?: number;
  column?: number;
  field?: string;
}

export interface ValidationResult {
  ok: boolean;
  errors: ValidationError[];
  schema: ColumnSchema[];
  plan: string;
  outputModes: OutputMode[];
  sources: Record<string, { name: string; type: string }[]>;
}

export function validateQuery(spec: QuerySpec, signal?: AbortSignal): Promise<ValidationResult> {
  return apiRequest<ValidationResult>('/api/queries/validate', { method: 'POST', body: { spec }, signal });
}

export const validateQueryQuery = (spec: QuerySpec) =>
  queryOptions({
    queryKey: ['editor', 'validate', JSON.stringify(spec)],
    queryFn: ({ signal }) => validateQuery(spec, signal),
    staleTime: 30_000,
    retry: false,
  });

/** Validation of the spec being edited; the previous answer stays on screen while the next one loads. */
export function useValidation(spec: QuerySpec) {
  return useQuery({ ...validateQueryQuery(spec), placeholderData: keepPreviousData });
}
