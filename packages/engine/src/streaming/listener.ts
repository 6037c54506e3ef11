import type { StreamingQueryProgress } from './progress.js';

/** `onQueryStarted` event: posted synchronously inside `start()`. */
export interface QueryStartedEvent {
  id: string;
  runId: string;
  name: string | null;
  /** ISO-8601 start time. */
  timestamp: string;
}

/** `onQueryProgress` event. */
export interface QueryProgressEvent {
  progress: StreamingQueryProgress;
}

/** `onQueryIdle` event (Spark 3.5+): a trigger found no new data. */
export interface QueryIdleEvent {
  id: string;
  runId: string;
  timestamp: string;
}

/** `onQueryTerminated` event. */
export interface QueryTerminatedEvent {
  id: string;
  runId: string;
  /** The error message when the query failed, else null. */
  exception: string | null;
  errorClassOnException: string | null;
}

/**
 * Spark's StreamingQueryListener. Every method is optional; progress, idle and terminated events are
 * delivered asynchronously (after the batch), started synchronously. A listener that throws is
 * ignored (logged), never stopping a query.
 */
export interface StreamingQueryListener {
  onQueryStarted?(event: QueryStartedEvent): void;
  onQueryProgress?(event: QueryProgressEvent): void;
  onQueryIdle?(event: QueryIdleEvent): void;
  onQueryTerminated?(event: QueryTerminatedEvent): void;
}

/** Delivers events to a set of listeners. */
export class ListenerBus {
  private readonly listeners: StreamingQueryListener[] = [];

  add(l: StreamingQueryListener): void {
    if (!this.listeners.includes(l)) this.listeners.push(l);
  }

  remove(l: StreamingQueryListener): void {
    const i = this.listeners.indexOf(l);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  list(): StreamingQueryListener[] {
    return [...this.listeners];
  }

  postStarted(e: QueryStartedEvent): void {
    for (const l of this.listeners) safe(() => l.onQueryStarted?.(e));
  }

  postProgress(e: QueryProgressEvent): void {
    const ls = [...this.listeners];
    queueMicrotask(() => {
      for (const l of ls) safe(() => l.onQueryProgress?.(e));
    });
  }

  postIdle(e: QueryIdleEvent): void {
    const ls = [...this.listeners];
    queueMicrotask(() => {
      for (const l of ls) safe(() => l.onQueryIdle?.(e));
    });
  }

  postTerminated(e: QueryTerminatedEvent): void {
    for (const l of [...this.listeners]) safe(() => l.onQueryTerminated?.(e));
  }
}

function safe(f: () => void): void {
  try {
    f();
  } catch (err) {
    console.error('StreamingQueryListener threw:', err);
  }
}
