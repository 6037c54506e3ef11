/** The filter of the dead-letter routes (docs/server-api.md "Dead letters" → "Filters"). */
export interface DeadLetterFilter {
  queryName?: string;
  sourceTopic?: string;
  stage?: string;
  errorClass?: string;
  q?: string;
  from?: string;
  to?: string;
  replayed?: boolean;
}

/** Time ranges the page offers, by their URL value. */
export const RANGES: Record<string, { label: string; ms: number }> = {
  '15m': { label: 'Last 15 minutes', ms: 15 * 60_000 },
  '1h': { label: 'Last hour', ms: 3600_000 },
  '6h': { label: 'Last 6 hours', ms: 6 * 3600_000 },
  '24h': { label: 'Last 24 hours', ms: 24 * 3600_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 24 * 3600_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 24 * 3600_000 },
};

/** The page's URL parameters, so that a filtered view is a link someone can share. */
export const URL_PARAMS = ['query', 'topic', 'stage', 'error', 'q', 'range', 'replayed'] as const;

/**
 * The API filter of the page's URL. A relative range starts at the whole minute, so the filter (a
 * cache key) stays the same for a minute instead of changing on every render.
 */
export function filterFromUrl(params: URLSearchParams, now = Date.now()): DeadLetterFilter {
  const filter: DeadLetterFilter = {};
  const text = (name: string) => {
    const v = params.get(name)?.trim();
    return v ? v : undefined;
  };
  const queryName = text('query');
  if (queryName) filter.queryName = queryName;
  const sourceTopic = text('topic');
  if (sourceTopic) filter.sourceTopic = sourceTopic;
  const stage = text('stage');
  if (stage === 'parse' || stage === 'eval' || stage === 'sink') filter.stage = stage;
  const errorClass = text('error');
  if (errorClass) filter.errorClass = errorClass;
  const q = text('q');
  if (q) filter.q = q;
  const range = RANGES[text('range') ?? ''];
  if (range) filter.from = new Date(Math.floor((now - range.ms) / 60_000) * 60_000).toISOString();
  const replayed = text('replayed');
  if (replayed === 'yes' || replayed === 'no') filter.replayed = replayed === 'yes';
  return filter;
}

/** The query string of a filter for the API. */
export function filterSearch(filter: DeadLetterFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined) params.set(key, String(value));
  }
  return params;
}

/** Whether the filter narrows anything (the "all matching" wording depends on it). */
export function isFiltered(filter: DeadLetterFilter): boolean {
  return Object.values(filter).some((v) => v !== undefined);
}
