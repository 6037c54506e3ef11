import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson } from '../../../lib/api';
import type { ColumnSchema, OutputMode } from '../../../lib/sluice-types';

/** One memory-sink table, as `GET /api/tables` lists it. */
export interface TableInfo {
  name: string;
  queryId: string;
  schema: ColumnSchema[];
  rowCount: number;
  outputMode: OutputMode;
  /** The grouping key of an update-mode aggregation (rows upserted by it), else null. */
  key: string[] | null;
  truncated: boolean;
  maxRows: number;
}

/** Editor previews write to `preview-<id>` tables; they are not queries of their own. */
export function isPreviewTable(name: string): boolean {
  return name.startsWith('preview-');
}

export const listTablesQuery = queryOptions({
  queryKey: ['tables', 'list'],
  queryFn: ({ signal }) => getJson<TableInfo[]>('/api/tables', signal),
  // Tables come and go with their queries and no event announces them: look again every few seconds.
  refetchInterval: 5000,
});

export function useTables() {
  return useQuery(listTablesQuery);
}
