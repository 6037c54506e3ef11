/**
 * The seeds' user-profile pattern with flatMapGroupsWithState: the last two actions of each user
 * kept in state, emitted at every batch with data, and a final profile once the user has been idle
 * for a minute of event time (an event-time timeout past the watermark, fired in a no-data batch
 * when no input follows). A null user is a key of its own.
 */
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { type GroupState, GroupStateTimeout } from '../../../src/streaming/group-state.js';

export const outputMode = 'append';
export const sources = [
  {
    alias: 'events',
    file: 'events.jsonl',
    schema: 'user STRING, action STRING, amount DOUBLE, ts TIMESTAMP',
  },
];

interface Event {
  user: string | null;
  action: string;
  ts: number | null;
}
interface Profile {
  recent: string[];
  lastSeenMs: number;
}

export function query(_session: unknown, streams: Record<string, DataFrame>): DataFrame {
  return streams
    .events!.withWatermark('ts', '10 seconds')
    .as<Event>()
    .groupByKey((e) => e.user)
    .flatMapGroupsWithState(
      'append',
      GroupStateTimeout.EventTimeTimeout,
      (user, events, state: GroupState<Profile>) => {
        if (state.hasTimedOut()) {
          const p = state.get();
          state.remove();
          return [{ user, recent: p.recent, final: true }];
        }
        const prev = state.getOption() ?? { recent: [], lastSeenMs: 0 };
        // Timestamps are microseconds (the engine's value); the state keeps milliseconds.
        const sorted = [...events].sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
        const lastSeenMs = Math.max(prev.lastSeenMs, ...sorted.map((e) => Math.floor((e.ts ?? 0) / 1000)));
        const recent = [...prev.recent, ...sorted.map((e) => e.action)].slice(-2);
        state.update({ recent, lastSeenMs });
        state.setTimeoutTimestamp(Math.max(lastSeenMs + 60_000, state.getCurrentWatermarkMs()));
        return [{ user, recent, final: false }];
      },
      'user STRING, recent ARRAY<STRING>, final BOOLEAN',
    )
    .toDF();
}
