import type { TopicMessage } from './api/topics-api';

export type SeekMode = 'latest' | 'offset' | 'timestamp';

/** What the message browser asks for; it lives in the page's URL so a browse can be shared. */
export interface BrowseRequest {
  /** null = all partitions. */
  partition: number | null;
  mode: SeekMode;
  offset: number;
  /** ISO-8601. */
  timestamp: string | null;
  limit: number;
}

const defaults: BrowseRequest = { partition: null, mode: 'latest', offset: 0, timestamp: null, limit: 100 };

function int(raw: string | null, min: number, max: number, fallback: number): number {
  if (raw === null || raw.trim() === '') return fallback;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : fallback;
}

export const browseSearch = {
  defaults,

  /** The browse in the page URL (`?partition=0&seek=offset&offset=12&limit=50`); junk falls back to defaults. */
  fromUrl(params: URLSearchParams): BrowseRequest {
    const seek = params.get('seek');
    const mode: SeekMode = seek === 'offset' || seek === 'timestamp' ? seek : 'latest';
    const rawPartition = params.get('partition');
    const partition =
      rawPartition === null || rawPartition === '' ? null : int(rawPartition, 0, 1_000_000, -1);
    const timestamp = params.get('timestamp');
    return {
      partition: partition === -1 ? null : partition,
      mode,
      offset: int(params.get('offset'), 0, Number.MAX_SAFE_INTEGER, 0),
      timestamp: timestamp && !Number.isNaN(Date.parse(timestamp)) ? new Date(timestamp).toISOString() : null,
      limit: int(params.get('limit'), 1, 1000, 100),
    };
  },

  toUrl(request: BrowseRequest): URLSearchParams {
    const params = new URLSearchParams();
    if (request.partition !== null) params.set('partition', String(request.partition));
    if (request.mode !== 'latest') params.set('seek', request.mode);
    if (request.mode === 'offset') params.set('offset', String(request.offset));
    if (request.mode === 'timestamp' && request.timestamp) params.set('timestamp', request.timestamp);
    if (request.limit !== defaults.limit) params.set('limit', String(request.limit));
    return params;
  },

  /** The server's query string: `offset` or `timestamp` only for their seek mode; neither = latest N. */
  toApi(request: BrowseRequest): string {
    const params = new URLSearchParams({ limit: String(request.limit) });
    if (request.partition !== null) params.set('partition', String(request.partition));
    if (request.mode === 'offset') params.set('offset', String(request.offset));
    if (request.mode === 'timestamp' && request.timestamp) params.set('timestamp', request.timestamp);
    return params.toString();
  },
};

/** The live tail keeps this many messages on screen. */
export const TAIL_LIMIT = 500;

/** A tailed message in front of those already shown (newest first), without duplicates, bounded. */
export function prependTailed(
  shown: readonly TopicMessage[],
  message: TopicMessage,
  limit = TAIL_LIMIT,
): TopicMessage[] {
  if (shown.some((m) => m.partition === message.partition && m.offset === message.offset)) return [...shown];
  return [message, ...shown].slice(0, limit);
}

/** `messageKey` for React lists and selection. */
export function messageId(message: Pick<TopicMessage, 'partition' | 'offset'>): string {
  return `${message.partition}:${message.offset}`;
}
