/** Cache keys of the queries feature; mutations and socket events update or invalidate by these. */
export const queryKeys = {
  all: ['queries'] as const,
  list: () => ['queries', 'list'] as const,
  detail: (id: string) => ['queries', 'detail', id] as const,
  progress: (id: string) => ['queries', 'progress', id] as const,
  tableRows: (name: string) => ['tables', 'rows', name] as const,
};

/** How many batches of history a page keeps (the charts' and sparklines' window). */
export const PROGRESS_HISTORY = 300;
