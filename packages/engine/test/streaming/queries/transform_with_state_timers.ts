/**
 * Spark 4's transformWithState with event-time timers and a TTL: a running count and the actions of
 * each user (value and list state), emitted at every batch with data; a timer 30 seconds of event
 * time after the user's latest event reports a summary and clears them when the watermark passes it.
 * `recentSpend` is what the user spent in the previous batch: a value state with a TTL of 90 seconds
 * of processing time, and batches are 60 seconds apart (`processingTimeStepMs`), so it survives one
 * batch and has expired by the next.
 */
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import {
  type ExpiredTimerInfo,
  type ListState,
  StatefulProcessor,
  type TimerValues,
  type ValueState,
} from '../../../src/streaming/stateful-processor.js';

export const outputMode = 'update';
export const processingTimeStepMs = 60_000;
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
  amount: number | null;
  ts: number | null;
}
interface Out {
  user: string | null;
  kind: string;
  n: number;
  actions: string[];
  recentSpend: number | null;
}

class ActivityTracker extends StatefulProcessor<string | null, Event, Out> {
  private count!: ValueState<number>;
  private actions!: ListState<string>;
  private spend!: ValueState<number>;

  override init(): void {
    this.count = this.getHandle().getValueState<number>('count');
    this.actions = this.getHandle().getListState<string>('actions');
    this.spend = this.getHandle().getValueState<number>('spend', { ttlDurationMs: 90_000 });
  }

  handleInputRows(user: string | null, rows: Event[], timers: TimerValues): Out[] {
    const h = this.getHandle();
    const n = (this.count.get() ?? 0) + rows.length;
    this.count.update(n);
    this.actions.appendList(rows.map((r) => r.action));
    const recentSpend = this.spend.get() ?? null;
    this.spend.update(rows.reduce((sum, r) => sum + (r.amount ?? 0), 0));
    for (const t of h.listTimers()) h.deleteTimer(t);
    const latestMs = Math.max(...rows.map((r) => Math.floor((r.ts ?? 0) / 1000)));
    h.registerTimer(Math.max(latestMs + 30_000, timers.getCurrentWatermarkInMs() + 1));
    return [{ user, kind: 'update', n, actions: this.actions.get(), recentSpend }];
  }

  override handleExpiredTimer(user: string | null, _t: TimerValues, info: ExpiredTimerInfo): Out[] {
    const out = {
      user,
      kind: `expired@${new Date(info.getExpiryTimeInMs()).toISOString()}`,
      n: this.count.get() ?? 0,
      actions: this.actions.get(),
      recentSpend: this.spend.get() ?? null,
    };
    this.count.clear();
    this.actions.clear();
    return [out];
  }
}

export function query(_session: unknown, streams: Record<string, DataFrame>): DataFrame {
  return streams
    .events!.withWatermark('ts', '10 seconds')
    .as<Event>()
    .groupByKey((e) => e.user)
    .transformWithState(
      new ActivityTracker(),
      'EventTime',
      'update',
      'user STRING, kind STRING, n INT, actions ARRAY<STRING>, recentSpend DOUBLE',
    )
    .toDF();
}
