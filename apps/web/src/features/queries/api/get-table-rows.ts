import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, getJson } from '../../../lib/api';
import type { ColumnSchema, Row } from '../../../lib/sluice-types';
import { queryKeys } from './query-keys';

export interface TableRows {
  schema: ColumnSchema[];
  rows: Row[];
  total: number;
  truncated: boolean;
}

/** Every row of a memory table (at most the server's SLUICE_MEMORY_TABLE_ROWS), 1000 a page. */
export async function getTableRows(name: string, signal?: AbortSignal): Promise<TableRows> {
  let first: TableRows;
  try {
    first = await getJson<TableRows>(`/api/tables/${encodeURIComponent(name)}/rows?limit=1000`, signal);
  } catch (error) {
    // The table appears with the query's first batch; until then it is simply empty.
    if (error instanceof ApiError && error.status === 404)
      return { schema: [], rows: [], total: 0, truncated: false };
    throw error;
  }
  const rows = [...first.rows];
  while (rows.length < first.total) {
    const page = await getJson<TableRows>(
      `/api/tables/${encodeURIComponent(name)}/rows?offset=${rows.length}&limit=1000`,
      signal,
    );
    if (page.rows.length === 0) break;
    rows.push(...page.rows);
  }
  return { ...first, rows };
}

export const getTableRowsQuery = (name: string) =>
  queryOptions({
    queryKey: queryKeys.tableRows(name),
    queryFn: ({ signal }) => getTableRows(name, signal),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });

export function useTableRows(name: string | undefined) {
  return useQuery({ ...getTableRowsQuery(name ?? ''), enabled: name !== undefined });
}
