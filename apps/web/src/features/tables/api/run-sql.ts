import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api';
import type { ColumnSchema, Row } from '../../../lib/sluice-types';

export interface SqlRequest {
  sql: string;
  limit: number;
  timeoutMs: number;
}

export interface SqlResult {
  schema: ColumnSchema[];
  rows: Row[];
  rowCount: number;
  truncated: boolean;
  elapsedMs: number;
}

/** `POST /api/sql`: one read-only query over the memory tables. */
export function runSql(request: SqlRequest): Promise<SqlResult> {
  return apiRequest<SqlResult>('/api/sql', { method: 'POST', body: request });
}

export function useRunSql() {
  return useMutation({ mutationFn: runSql });
}
