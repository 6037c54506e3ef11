import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, getJson } from '../../../lib/api';
import type { EncodedBytes } from '../../../lib/payload';
import { type BrowseRequest, browseSearch } from '../browse';

/** `GET /api/topics` (docs/server-api.md "Topics"). */
export interface TopicSummary {
  name: string;
  internal: boolean;
  partitions: number;
  messageCount: number;
  offsets: { partition: number; earliest: number; latest: number }[];
}

export interface TopicDetail {
  name: string;
  internal: boolean;
  messageCount: number;
  partitions: {
    partition: number;
    leader: number;
    replicas: number[];
    isr: number[];
    earliest: number;
    latest: number;
  }[];
  configs: {
    name: string;
    value: string | null;
    isDefault: boolean;
    readOnly: boolean;
    sensitive: boolean;
  }[];
}

export interface TopicMessage {
  topic: string;
  partition: number;
  offset: number;
  timestamp: string;
  key: EncodedBytes | null;
  value: EncodedBytes | null;
  headers: { key: string; value: EncodedBytes | null }[];
}

export interface BrowseResult {
  messages: TopicMessage[];
  ranges: { partition: number; from: number; until: number }[];
}

/** A string is sent as UTF-8; `{ encoding: 'base64', data }` as binary. */
export type BytesInput = string | { encoding: 'base64'; data: string };

export interface ProduceRequest {
  key?: BytesInput | null;
  value: BytesInput | null;
  headers?: Record<string, BytesInput>;
  partition?: number;
  timestamp?: string;
}

export interface CreateTopicRequest {
  name: string;
  partitions: number;
  configs?: Record<string, string>;
}

const path = (topic: string) => `/api/topics/${encodeURIComponent(topic)}`;

export const topicKeys = {
  all: ['topics'] as const,
  list: () => ['topics', 'list'] as const,
  detail: (topic: string) => ['topics', 'detail', topic] as const,
  messagesOf: (topic: string) => ['topics', 'messages', topic] as const,
  messages: (topic: string, request: BrowseRequest) => ['topics', 'messages', topic, request] as const,
};

export const listTopicsQuery = queryOptions({
  queryKey: topicKeys.list(),
  queryFn: ({ signal }) => getJson<TopicSummary[]>('/api/topics', signal),
  // Offsets move with every produce and no event announces them: look again now and then.
  refetchInterval: 10_000,
});

export function useTopics() {
  return useQuery(listTopicsQuery);
}

export function useTopic(topic: string) {
  return useQuery({
    queryKey: topicKeys.detail(topic),
    queryFn: ({ signal }) => getJson<TopicDetail>(path(topic), signal),
    refetchInterval: 10_000,
    retry: false,
  });
}

/** One browse; runs when asked (the Browse button), not on every keystroke of the seek form. */
export function useBrowse(topic: string, request: BrowseRequest | null) {
  return useQuery({
    queryKey: topicKeys.messages(topic, request ?? browseSearch.defaults),
    queryFn: ({ signal }) =>
      getJson<BrowseResult>(
        `${path(topic)}/messages?${browseSearch.toApi(request ?? browseSearch.defaults)}`,
        signal,
      ),
    enabled: request !== null,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

export function useCreateTopic() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateTopicRequest) =>
      apiRequest<TopicDetail>('/api/topics', { method: 'POST', body }),
    onSuccess: (detail) => {
      client.setQueryData(topicKeys.detail(detail.name), detail);
      void client.invalidateQueries({ queryKey: topicKeys.list() });
    },
  });
}

export function useDeleteTopic() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (topic: string) => apiRequest<void>(path(topic), { method: 'DELETE' }),
    onSuccess: (_, topic) => {
      client.setQueryData<TopicSummary[]>(topicKeys.list(), (list) => list?.filter((t) => t.name !== topic));
      client.removeQueries({ queryKey: topicKeys.detail(topic) });
      void client.invalidateQueries({ queryKey: topicKeys.list() });
    },
  });
}

export function useProduce(topic: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ProduceRequest) =>
      apiRequest<{ topic: string; partition: number; offset: number }>(`${path(topic)}/messages`, {
        method: 'POST',
        body,
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: topicKeys.detail(topic) });
      void client.invalidateQueries({ queryKey: topicKeys.list() });
    },
  });
}
