import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useRoom, useSocketEvent } from '../../../lib/live';
import { refetchFromNow } from '../../../lib/refetch';
import type {
  ProgressEvent,
  QueryListEvent,
  QueryView,
  StatusEvent,
  StreamingQueryProgress,
  TableRowsEvent,
} from '../../../lib/sluice-types';
import { applyRowsEvent } from '../../../lib/table-rows';
import type { TableRows } from './get-table-rows';
import { PROGRESS_HISTORY, queryKeys } from './query-keys';

function patchQuery(client: QueryClient, id: string, patch: (view: QueryView) => QueryView) {
  client.setQueryData<QueryView>(queryKeys.detail(id), (view) => (view ? patch(view) : view));
  client.setQueryData<QueryView[]>(queryKeys.list(), (list) =>
    list?.map((view) => (view.id === id ? patch(view) : view)),
  );
}

/** Appends a pushed progress to the cached history (in batch order, without duplicates). */
export function applyProgress(client: QueryClient, { queryId, progress }: ProgressEvent): void {
  const key = queryKeys.progress(queryId);
  const state = client.getQueryState(key);
  if (state?.data === undefined || state.fetchStatus === 'fetching') {
    // The history is still loading and may have been read before this batch: read it again.
    if (state?.fetchStatus === 'fetching') void refetchFromNow(client, { queryKey: key, exact: true });
  } else {
    client.setQueryData<StreamingQueryProgress[]>(key, (history = []) => {
      const last = history.at(-1);
      if (last && progress.batchId <= last.batchId && progress.runId === last.runId) return history;
      return [...history, progress].slice(-PROGRESS_HISTORY);
    });
  }
  patchQuery(client, queryId, (view) =>
    view.lastProgress && view.lastProgress.batchId > progress.batchId
      ? view
      : { ...view, lastProgress: progress },
  );
}

/** The `queries` room: creations, updates, status changes and deletions of every query. */
export function useQueriesRoom(): void {
  const client = useQueryClient();
  useRoom('queries');
  useSocketEvent<QueryListEvent>('query', (event) => {
    const { id } = event.query;
    if (event.type === 'deleted') {
      client.setQueryData<QueryView[]>(queryKeys.list(), (list) => list?.filter((q) => q.id !== id));
      client.removeQueries({ queryKey: queryKeys.detail(id) });
      return;
    }
    if (!('spec' in event.query)) {
      void client.invalidateQueries({ queryKey: queryKeys.list() });
      return;
    }
    const view = event.query;
    client.setQueryData(queryKeys.detail(id), view);
    client.setQueryData<QueryView[]>(queryKeys.list(), (list) => {
      if (!list) return list;
      return list.some((q) => q.id === id) ? list.map((q) => (q.id === id ? view : q)) : [...list, view];
    });
  });
}

/**
 * A query's room: every progress and status. After a reconnect it re-joins with the last batch id
 * the page holds, so the server replays what was missed before live events resume.
 */
export function useQueryRoom(id: string): void {
  const client = useQueryClient();
  useRoom(
    `query:${id}`,
    () => client.getQueryData<StreamingQueryProgress[]>(queryKeys.progress(id))?.at(-1)?.batchId,
    // A batch that finished after the page read the history but before the server joined the room
    // was neither in the history nor pushed (the first join has no batch to replay from): once
    // joined, read the history again (the Batches table missed a batch under load).
    () => void refetchFromNow(client, { queryKey: queryKeys.progress(id), exact: true }),
  );
  useSocketEvent<ProgressEvent>('progress', (event) => {
    if (event.queryId === id) applyProgress(client, event);
  });
  useSocketEvent<StatusEvent>('status', (event) => {
    if (event.queryId !== id) return;
    patchQuery(client, id, (view) => ({
      ...view,
      status: event.status,
      runId: event.runId,
      exception: event.exception,
    }));
    // startedAt and desiredState change with the status; the route has them.
    void client.invalidateQueries({ queryKey: queryKeys.detail(id), exact: true });
  });
}

/** The server keeps at most this many rows per table by default (SLUICE_MEMORY_TABLE_ROWS). */
const MAX_TABLE_ROWS = 10_000;

/** A memory table's room: appended, upserted or (complete mode) replaced rows of each batch. */
export function useTableRoom(name: string | undefined): void {
  const client = useQueryClient();
  // Rows of a batch that landed after the page fetched the table but before the server joined it to
  // the room would be lost until the next batch: once joined, fetch the table again.
  useRoom(name ? `table:${name}` : undefined, undefined, () => {
    if (name) void refetchFromNow(client, { queryKey: queryKeys.tableRows(name), exact: true });
  });
  useSocketEvent<TableRowsEvent>('rows', (event) => {
    if (!name || event.table !== name) return;
    const key = queryKeys.tableRows(name);
    if (client.getQueryState(key)?.fetchStatus === 'fetching') {
      void refetchFromNow(client, { queryKey: key, exact: true });
      return;
    }
    client.setQueryData<TableRows>(key, (table) => {
      const rows = applyRowsEvent(table?.rows ?? [], event).slice(-MAX_TABLE_ROWS);
      const truncated = event.truncated ?? table?.truncated ?? false;
      return { schema: event.schema, rows, total: rows.length, truncated };
    });
  });
}
