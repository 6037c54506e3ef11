/**
 * Spark 4's `transformWithState` API: a StatefulProcessor with named state variables (value, list
 * and map state, each with an optional TTL) and timers, per grouping key. The operator
 * (operators/transform-with-state-exec.ts) keeps one stored record per key holding every variable
 * and timer of that key; values must be JSON values.
 */
import { ExecutionError } from '../errors.js';

export type TimeMode = 'None' | 'ProcessingTime' | 'EventTime';

/** `TTLConfig(ttlDuration)`: a value expires this long (processing time) after its last update. */
export interface TTLConfig {
  readonly ttlDurationMs: number;
}

export interface TimerValues {
  getCurrentProcessingTimeInMs(): number;
  getCurrentWatermarkInMs(): number;
}

export interface ExpiredTimerInfo {
  getExpiryTimeInMs(): number;
}

export interface ValueState<T> {
  exists(): boolean;
  get(): T | undefined;
  update(value: T): void;
  clear(): void;
}

export interface ListState<T> {
  exists(): boolean;
  get(): T[];
  put(values: T[]): void;
  appendValue(value: T): void;
  appendList(values: T[]): void;
  clear(): void;
}

export interface MapState<K, V> {
  exists(): boolean;
  getValue(key: K): V | undefined;
  containsKey(key: K): boolean;
  updateValue(key: K, value: V): void;
  iterator(): [K, V][];
  keys(): K[];
  values(): V[];
  removeKey(key: K): void;
  clear(): void;
}

export interface StatefulProcessorHandle {
  getValueState<T>(name: string, ttlConfig?: TTLConfig): ValueState<T>;
  getListState<T>(name: string, ttlConfig?: TTLConfig): ListState<T>;
  getMapState<K, V>(name: string, ttlConfig?: TTLConfig): MapState<K, V>;
  registerTimer(expiryTimestampMs: number): void;
  deleteTimer(expiryTimestampMs: number): void;
  listTimers(): number[];
  /** Removes a state variable of the current key entirely. */
  deleteIfExists(name: string): void;
}

/** Spark's StatefulProcessor: subclass it and implement `handleInputRows`. */
export abstract class StatefulProcessor<K, I, O> {
  private handleValue: StatefulProcessorHandle | undefined;

  /** Called once per query run (and per batch query) before any rows: declare state variables here. */
  init(_outputMode: string, _timeMode: TimeMode): void {}

  abstract handleInputRows(key: K, rows: I[], timerValues: TimerValues): Iterable<O>;

  /**
   * With an initial state (`transformWithState(..., initialState)`): called once per key of the
   * initial state before the first batch's rows, with the key's state variables bound.
   */
  handleInitialState?(key: K, initialState: unknown, timerValues: TimerValues): void;

  /** Called for each timer of a key that expired. */
  handleExpiredTimer(_key: K, _timerValues: TimerValues, _expiredTimerInfo: ExpiredTimerInfo): Iterable<O> {
    return [];
  }

  close(): void {}

  getHandle(): StatefulProcessorHandle {
    if (!this.handleValue)
      throw new ExecutionError('STATEFUL_PROCESSOR_NO_HANDLE', 'The handle is set when the query runs.');
    return this.handleValue;
  }

  /** @internal the operator sets the handle before `init`. */
  setHandle(handle: StatefulProcessorHandle): void {
    this.handleValue = handle;
  }
}

/** One key's stored variables and timers. */
export interface KeyState {
  /** value variables: name → [value, expiresAt (ms) or -1] */
  v: Record<string, [unknown, number]>;
  /** list variables: name → [[value, expiresAt], ...] */
  l: Record<string, [unknown, number][]>;
  /** map variables: name → [[key JSON, key, value, expiresAt], ...] */
  m: Record<string, [string, unknown, unknown, number][]>;
  /** registered timers (ms), sorted */
  t: number[];
}

export function emptyKeyState(): KeyState {
  return { v: {}, l: {}, m: {}, t: [] };
}

export function isEmptyKeyState(s: KeyState): boolean {
  return (
    Object.keys(s.v).length === 0 &&
    Object.keys(s.l).length === 0 &&
    Object.keys(s.m).length === 0 &&
    s.t.length === 0
  );
}

/** Counters the operator reports as progress customMetrics (Spark's names). */
export interface ProcessorMetrics {
  numValueStateVars: number;
  numListStateVars: number;
  numMapStateVars: number;
  numRegisteredTimers: number;
  numDeletedTimers: number;
  numExpiredTimers: number;
  numValueStateWithTTLVars: number;
  numListStateWithTTLVars: number;
  numMapStateWithTTLVars: number;
}

/**
 * The handle of one processor: state variables are declared once (in `init`); `bind(state, now)`
 * points them at the key being processed.
 */
export class ProcessorHandle implements StatefulProcessorHandle {
  private current: KeyState = emptyKeyState();
  private now = 0;
  readonly declared = new Map<string, { kind: 'value' | 'list' | 'map'; ttlMs?: number }>();
  dirty = false;
  registered = 0;
  deleted = 0;

  bind(state: KeyState, nowMs: number): void {
    this.current = state;
    this.now = nowMs;
    this.dirty = false;
  }

  private declare(name: string, kind: 'value' | 'list' | 'map', ttl?: TTLConfig): number | undefined {
    const prev = this.declared.get(name);
    if (prev && prev.kind !== kind) {
      throw new ExecutionError(
        'STATEFUL_PROCESSOR_CANNOT_REINITIALIZE_STATE_ON_KEY',
        `Cannot re-initialize state variable ${name} as a ${kind} state: it is a ${prev.kind} state.`,
      );
    }
    this.declared.set(name, { kind, ...(ttl ? { ttlMs: ttl.ttlDurationMs } : {}) });
    return ttl?.ttlDurationMs;
  }

  private expiry(ttl: number | undefined): number {
    return ttl === undefined ? -1 : this.now + ttl;
  }

  private live(expiresAt: number): boolean {
    return expiresAt < 0 || expiresAt > this.now;
  }

  getValueState<T>(name: string, ttlConfig?: TTLConfig): ValueState<T> {
    const ttl = this.declare(name, 'value', ttlConfig);
    return {
      exists: () => {
        const e = this.current.v[name];
        return e !== undefined && this.live(e[1]);
      },
      get: () => {
        const e = this.current.v[name];
        return e !== undefined && this.live(e[1]) ? (e[0] as T) : undefined;
      },
      update: (value: T) => {
        if (value === null || value === undefined)
          throw new ExecutionError(
            'ILLEGAL_STATE_STORE_VALUE.NULL_VALUE',
            `Cannot write null values to State Store: ${name}`,
          );
        this.current.v[name] = [value, this.expiry(ttl)];
        this.dirty = true;
      },
      clear: () => {
        delete this.current.v[name];
        this.dirty = true;
      },
    };
  }

  getListState<T>(name: string, ttlConfig?: TTLConfig): ListState<T> {
    const ttl = this.declare(name, 'list', ttlConfig);
    const items = () => (this.current.l[name] ?? []).filter((e) => this.live(e[1]));
    const set = (xs: [unknown, number][]) => {
      if (xs.length === 0) delete this.current.l[name];
      else this.current.l[name] = xs;
      this.dirty = true;
    };
    return {
      exists: () => items().length > 0,
      get: () => items().map((e) => e[0] as T),
      put: (values: T[]) => set(values.map((v) => [v, this.expiry(ttl)])),
      appendValue: (value: T) => set([...items(), [value, this.expiry(ttl)]]),
      appendList: (values: T[]) =>
        set([...items(), ...values.map((v) => [v, this.expiry(ttl)] as [unknown, number])]),
      clear: () => set([]),
    };
  }

  getMapState<K, V>(name: string, ttlConfig?: TTLConfig): MapState<K, V> {
    const ttl = this.declare(name, 'map', ttlConfig);
    const entries = () => (this.current.m[name] ?? []).filter((e) => this.live(e[3]));
    const set = (xs: [string, unknown, unknown, number][]) => {
      if (xs.length === 0) delete this.current.m[name];
      else this.current.m[name] = xs;
      this.dirty = true;
    };
    const kj = (k: K) => JSON.stringify(k);
    return {
      exists: () => entries().length > 0,
      getValue: (k: K) => entries().find((e) => e[0] === kj(k))?.[2] as V | undefined,
      containsKey: (k: K) => entries().some((e) => e[0] === kj(k)),
      updateValue: (k: K, v: V) =>
        set([...entries().filter((e) => e[0] !== kj(k)), [kj(k), k, v, this.expiry(ttl)]]),
      iterator: () => entries().map((e) => [e[1] as K, e[2] as V]),
      keys: () => entries().map((e) => e[1] as K),
      values: () => entries().map((e) => e[2] as V),
      removeKey: (k: K) => set(entries().filter((e) => e[0] !== kj(k))),
      clear: () => set([]),
    };
  }

  timeMode: TimeMode = 'None';

  registerTimer(expiryTimestampMs: number): void {
    if (this.timeMode === 'None') {
      throw new ExecutionError(
        'STATEFUL_PROCESSOR_CANNOT_PERFORM_OPERATION_WITH_INVALID_TIME_MODE',
        'Failed to perform stateful processor operation=registerTimer with invalid timeMode=None',
      );
    }
    if (!this.current.t.includes(expiryTimestampMs)) {
      this.current.t = [...this.current.t, expiryTimestampMs].sort((a, b) => a - b);
      this.registered++;
      this.dirty = true;
    }
  }

  deleteTimer(expiryTimestampMs: number): void {
    const before = this.current.t.length;
    this.current.t = this.current.t.filter((t) => t !== expiryTimestampMs);
    if (this.current.t.length !== before) {
      this.deleted++;
      this.dirty = true;
    }
  }

  listTimers(): number[] {
    return [...this.current.t];
  }

  deleteIfExists(name: string): void {
    delete this.current.v[name];
    delete this.current.l[name];
    delete this.current.m[name];
    this.dirty = true;
  }

  /** Drops expired values of the bound key (TTL cleanup); true when something was dropped. */
  evictExpired(): boolean {
    let changed = false;
    const s = this.current;
    for (const [n, e] of Object.entries(s.v))
      if (!this.live(e[1])) {
        delete s.v[n];
        changed = true;
      }
    for (const [n, xs] of Object.entries(s.l)) {
      const kept = xs.filter((e) => this.live(e[1]));
      if (kept.length !== xs.length) {
        changed = true;
        if (kept.length === 0) delete s.l[n];
        else s.l[n] = kept;
      }
    }
    for (const [n, xs] of Object.entries(s.m)) {
      const kept = xs.filter((e) => this.live(e[3]));
      if (kept.length !== xs.length) {
        changed = true;
        if (kept.length === 0) delete s.m[n];
        else s.m[n] = kept;
      }
    }
    return changed;
  }

  metrics(expired: number): ProcessorMetrics {
    const count = (kind: string, ttl: boolean) =>
      [...this.declared.values()].filter((d) => d.kind === kind && (!ttl || d.ttlMs !== undefined)).length;
    return {
      numValueStateVars: count('value', false),
      numListStateVars: count('list', false),
      numMapStateVars: count('map', false),
      numRegisteredTimers: this.registered,
      numDeletedTimers: this.deleted,
      numExpiredTimers: expired,
      numValueStateWithTTLVars: count('value', true),
      numListStateWithTTLVars: count('list', true),
      numMapStateWithTTLVars: count('map', true),
    };
  }
}
