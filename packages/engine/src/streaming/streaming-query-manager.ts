import { AnalysisError, type StreamingQueryError } from '../errors.js';
import { ListenerBus, type StreamingQueryListener } from './listener.js';
import type { StreamingQuery } from './streaming-query.js';
import { systemClock, type TriggerClock } from './trigger-clock.js';

/**
 * Spark's StreamingQueryManager (`session.streams`): the session's active queries, waiting for any
 * to end, and the listeners that receive every query's events.
 */
export class StreamingQueryManager {
  /** @internal */
  readonly bus = new ListenerBus();
  /**
   * The clock processing-time triggers of queries started from now on follow (Spark's `triggerClock`
   * argument of `startQuery`); tests set a ManualClock to decide when each trigger fires.
   */
  triggerClock: TriggerClock = systemClock;
  private readonly activeQueries = new Map<string, StreamingQuery>();
  private lastTerminated: StreamingQuery | undefined;
  private terminationWaiters: (() => void)[] = [];

  /** Active queries. */
  get active(): StreamingQuery[] {
    return [...this.activeQueries.values()];
  }

  /** The active query with this id (the stable query id), or null. */
  get(id: string): StreamingQuery | null {
    return this.activeQueries.get(id) ?? null;
  }

  addListener(listener: StreamingQueryListener): void {
    this.bus.add(listener);
  }

  removeListener(listener: StreamingQueryListener): void {
    this.bus.remove(listener);
  }

  listListeners(): StreamingQueryListener[] {
    return this.bus.list();
  }

  /**
   * Waits until any query terminates since the last `resetTerminated()`; rejects with its
   * exception if it failed. With a timeout, resolves to whether one terminated in time.
   */
  async awaitAnyTermination(timeoutMs?: number): Promise<boolean> {
    const check = (): boolean => {
      if (!this.lastTerminated) return false;
      const e = this.lastTerminated.exception as StreamingQueryError | null;
      if (e) throw e;
      return true;
    };
    if (check()) return true;
    let timer: NodeJS.Timeout | undefined;
    const done = await new Promise<boolean>((resolve) => {
      this.terminationWaiters.push(() => resolve(true));
      if (timeoutMs !== undefined) timer = setTimeout(() => resolve(false), timeoutMs);
    });
    clearTimeout(timer);
    if (!done) return false;
    return check();
  }

  /** Forgets past terminations so awaitAnyTermination waits for a new one. */
  resetTerminated(): void {
    this.lastTerminated = undefined;
  }

  /** @internal checks name / id clashes before a start. */
  assertCanStart(name: string | null, id: string): void {
    for (const q of this.activeQueries.values()) {
      if (name !== null && q.name === name) {
        throw new AnalysisError(
          'DUPLICATE_QUERY_NAME',
          `Cannot start query with name ${name} as a query with that name is already active in this SparkSession`,
        );
      }
    }
    if (this.activeQueries.has(id)) {
      throw new AnalysisError(
        'CONCURRENT_QUERY',
        `Cannot start query with id ${id} as another query with same id is already active. Perhaps you are attempting to restart a query from checkpoint that is already active.`,
      );
    }
  }

  /** @internal */
  register(q: StreamingQuery): void {
    this.activeQueries.set(q.id, q);
  }

  /** @internal */
  terminated(q: StreamingQuery): void {
    if (this.activeQueries.get(q.id) === q) this.activeQueries.delete(q.id);
    this.lastTerminated = q;
    const ws = this.terminationWaiters;
    this.terminationWaiters = [];
    for (const w of ws) w();
  }
}

const managers = new WeakMap<object, StreamingQueryManager>();

/** The manager of a session (created on first use). */
export function streamsOf(session: object): StreamingQueryManager {
  let m = managers.get(session);
  if (!m) {
    m = new StreamingQueryManager();
    managers.set(session, m);
  }
  return m;
}
