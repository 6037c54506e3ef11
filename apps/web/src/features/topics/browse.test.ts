import { describe, expect, it } from 'vitest';
import type { TopicMessage } from './api/topics-api';
import { browseSearch, prependTailed } from './browse';

describe('browseSearch', () => {
  it('reads a browse from the URL and writes it back', () => {
    const request = browseSearch.fromUrl(new URLSearchParams('partition=2&seek=offset&offset=40&limit=50'));
    expect(request).toEqual({ partition: 2, mode: 'offset', offset: 40, timestamp: null, limit: 50 });
    expect(browseSearch.toUrl(request).toString()).toBe('partition=2&seek=offset&offset=40&limit=50');
    expect(browseSearch.toApi(request)).toBe('limit=50&partition=2&offset=40');
  });

  it('falls back to the latest 100 of all partitions for junk', () => {
    expect(browseSearch.fromUrl(new URLSearchParams('partition=x&seek=nope&limit=99999&offset=-1'))).toEqual(
      browseSearch.defaults,
    );
    expect(browseSearch.toUrl(browseSearch.defaults).toString()).toBe('');
    expect(browseSearch.toApi(browseSearch.defaults)).toBe('limit=100');
  });

  it('sends the timestamp only when seeking by time, as ISO-8601', () => {
    const request = browseSearch.fromUrl(
      new URLSearchParams('seek=timestamp&timestamp=2026-12-05T03:00:00Z&offset=7'),
    );
    expect(request.timestamp).toBe('2026-12-05T03:00:00.000Z');
    expect(browseSearch.toApi(request)).toBe('limit=100&timestamp=2026-12-05T03%3A00%3A00.000Z');
    expect(browseSearch.toApi({ ...request, mode: 'latest' })).toBe('limit=100');
  });
});

describe('prependTailed', () => {
  const message = (partition: number, offset: number): TopicMessage => ({
    topic: 't',
    partition,
    offset,
    timestamp: '2026-01-01T00:00:00.000Z',
    key: null,
    value: null,
    headers: [],
  });

  it('puts the newest first, skips one already shown and keeps the bound', () => {
    let shown = prependTailed([], message(0, 1));
    shown = prependTailed(shown, message(1, 1));
    shown = prependTailed(shown, message(0, 1));
    expect(shown.map((m) => `${m.partition}:${m.offset}`)).toEqual(['1:1', '0:1']);
    expect(prependTailed(shown, message(0, 2), 2).map((m) => m.offset)).toEqual([2, 1]);
  });
});
