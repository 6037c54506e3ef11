import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useRef } from 'react';
import { apiRequest, getJson } from '../../../lib/api';
import { useRoom, useSocketEvent } from '../../../lib/live';
import type { EncodedBytes } from '../../../lib/payload';
import { refetchFromNow } from '../../../lib/refetch';
import { type DeadLetterFilter, filterSearch } from '../filters';

/** `DeadLetterSummary` (docs/server-api.md "Dead letters"). */
export interface DeadLetterSummary {
  id: string;
  dlqTopic: string;
  dlqPartition: number;
  dlqOffset: number;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: number | null;
  queryId: string | null;
  queryName: string | null;
  runId: string | null;
  batchId: number | null;
  stage: string;
  errorClass: string;
  errorMessage: string;
  valuePreview: string | null;
  valueSize: number | null;
  failedAt: string;
  archivedAt: string;
  replayCount: number;
  lastReplayedAt: string | null;
}

export interface ReplayView {
  id: number;
  requestId: string | null;
  targetTopic: string;
  targetPartition: number | null;
  targetOffset: number | null;
  replayedAt: string;
}

export interface DeadLetterDetail extends DeadLetterSummary {
  stack: string | null;
  key: EncodedBytes | null;
  value: EncodedBytes | null;
  headers: { key: string; value: EncodedBytes | null }[];
  recordTimestamp: string | null;
  replays: ReplayView[];
}

export type GroupBy = 'stage' | 'queryName' | 'errorClass';

export interface CountsResult {
  groupBy: GroupBy;
  bucketSeconds: number;
  from: string;
  to: string;
  buckets: { time: string; counts: Record<string, number> }[];
  totals: Record<string, number>;
  total: number;
}

export interface ReplayResult {
  requestId: string;
  requested: number;
  replayed: number;
  targets: { topic: string; count: number }[];
  failed: { id: string; message: string }[];
}

/** Which dead letters an action covers: the chosen ids, or everything the filter matches. */
export type Selection = { ids: string[] } | { filter: DeadLetterFilter };

interface Page {
  items: DeadLetterSummary[];
  nextCursor: string | null;
}

export const deadLetterKeys = {
  all: ['dead-letters'] as const,
  list: (filter: DeadLetterFilter) => ['dead-letters', 'list', filter] as const,
  counts: (filter: DeadLetterFilter, groupBy: GroupBy) =>
    ['dead-letters', 'counts', groupBy, filter] as const,
  totals: () => ['dead-letters', 'totals'] as const,
  detail: (id: string) => ['dead-letters', 'detail', id] as const,
};

const PAGE_SIZE = 200;

/** The filtered list, newest failure first, a page at a time (the list asks for more as it scrolls). */
export function useDeadLetterList(filter: DeadLetterFilter) {
  return useInfiniteQuery({
    queryKey: deadLetterKeys.list(filter),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const params = filterSearch(filter);
      params.set('limit', String(PAGE_SIZE));
      if (pageParam) params.set('cursor', pageParam);
      return getJson<Page>(`/api/dead-letters?${params}`, signal);
    },
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useDeadLetterCounts(filter: DeadLetterFilter, groupBy: GroupBy) {
  return useQuery({
    queryKey: deadLetterKeys.counts(filter, groupBy),
    queryFn: ({ signal }) => {
      const params = filterSearch(filter);
      params.set('groupBy', groupBy);
      return getJson<CountsResult>(`/api/dead-letters/counts?${params}`, signal);
    },
    placeholderData: keepPreviousData,
  });
}

/** Dead letters per query name, all time (the queries list and the query page show them). */
export function useDeadLetterTotals() {
  useDeadLettersRoom();
  return useQuery({
    queryKey: deadLetterKeys.totals(),
    queryFn: async ({ signal }) =>
      (await getJson<CountsResult>('/api/dead-letters/counts?groupBy=queryName', signal)).totals,
  });
}

export function useDeadLetter(id: string | undefined) {
  return useQuery({
    queryKey: deadLetterKeys.detail(id ?? ''),
    queryFn: ({ signal }) => getJson<DeadLetterDetail>(`/api/dead-letters/${id}`, signal),
    enabled: id !== undefined,
  });
}

export function useReplay() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Selection & { targetTopic?: string }) =>
      apiRequest<ReplayResult>('/api/dead-letters/replay', { method: 'POST', body }),
    onSettled: () => client.invalidateQueries({ queryKey: deadLetterKeys.all }),
  });
}

export function usePurge() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Selection) =>
      apiRequest<{ purged: number }>('/api/dead-letters/purge', { method: 'POST', body }),
    onSettled: () => client.invalidateQueries({ queryKey: deadLetterKeys.all }),
  });
}

interface CountsEvent {
  total: number;
  byQuery: Record<string, number>;
  byStage: Record<string, number>;
}

/**
 * The `dead-letters` room: new, replayed and purged dead letters refresh the cached lists and
 * counts (at most every half second while a burst is archived); the all-time totals per query are
 * taken from the pushed `counts` as they are.
 */
export function useDeadLettersRoom(): void {
  const client = useQueryClient();
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useRoom('dead-letters');
  const refresh = () => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = undefined;
      void refetchFromNow(client, {
        predicate: (q) => q.queryKey[0] === 'dead-letters' && q.queryKey[1] !== 'totals',
      });
    }, 500);
  };
  useSocketEvent<CountsEvent>('counts', (event) =>
    client.setQueryData(deadLetterKeys.totals(), event.byQuery),
  );
  useSocketEvent('archived', refresh);
  useSocketEvent('replayed', refresh);
  useSocketEvent('purged', refresh);
}
