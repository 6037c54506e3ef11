import type { InvalidateQueryFilters, QueryClient } from '@tanstack/react-query';

/**
 * Marks queries stale and reads the active ones again, starting now. `invalidateQueries` alone joins
 * a query's first fetch when one is in flight (TanStack cancels a running fetch only when the query
 * already has data), and that fetch's answer may predate the event that asked for fresh data — the
 * event was then lost (the Batches table showed one batch fewer than had run).
 */
export async function refetchFromNow(client: QueryClient, filters: InvalidateQueryFilters): Promise<void> {
  await client.cancelQueries(filters);
  await client.invalidateQueries(filters);
}
