/**
 * Spark's GroupState and GroupStateTimeout for `[flat]MapGroupsWithState`: the per-key state a
 * user function reads and updates, with processing-time or event-time timeouts.
 */
import { ExecutionError } from '../errors.js';
import { intervalToMillis } from '../plan/expr-api.js';

/** Spark's GroupStateTimeout. */
export const GroupStateTimeout = {
  NoTimeout: 'NoTimeout',
  ProcessingTimeTimeout: 'ProcessingTimeTimeout',
  EventTimeTimeout: 'EventTimeTimeout',
} as const;
export type GroupStateTimeout = (typeof GroupStateTimeout)[keyof typeof GroupStateTimeout];

/** No timeout set (Spark's NO_TIMESTAMP). */
export const NO_TIMESTAMP = -1;

export interface GroupState<S> {
  exists(): boolean;
  get(): S;
  getOption(): S | undefined;
  update(newState: S): void;
  remove(): void;
  hasTimedOut(): boolean;
  setTimeoutDuration(duration: number | string): void;
  setTimeoutTimestamp(timestampMs: number, additionalDuration?: string): void;
  getCurrentWatermarkMs(): number;
  getCurrentProcessingTimeMs(): number;
}

function illegal(errorClass: string, message: string): ExecutionError {
  return new ExecutionError(errorClass, message);
}

/** The GroupState of one key during one call of the user function. */
export class GroupStateImpl<S> implements GroupState<S> {
  private value: S | undefined;
  private defined: boolean;
  private updated = false;
  private removed = false;
  timeoutTimestampMs = NO_TIMESTAMP;

  constructor(
    initial: { value: S } | undefined,
    private readonly timeout: GroupStateTimeout,
    private readonly batchTimestampMs: number,
    private readonly watermarkMs: number | undefined,
    private readonly timedOut: boolean,
    private readonly operation: string,
  ) {
    this.defined = initial !== undefined;
    this.value = initial?.value;
  }

  exists(): boolean {
    return this.defined;
  }

  get(): S {
    if (!this.defined)
      throw illegal('STATE_NOT_DEFINED', 'State is either not defined or has already been removed');
    return this.value as S;
  }

  getOption(): S | undefined {
    return this.defined ? this.value : undefined;
  }

  update(newState: S): void {
    if (newState === null || newState === undefined) {
      throw illegal('INVALID_STATE_VALUE', "'null' is not a valid state value");
    }
    this.value = newState;
    this.defined = true;
    this.updated = true;
    this.removed = false;
  }

  remove(): void {
    this.value = undefined;
    this.defined = false;
    this.updated = false;
    this.removed = true;
    this.timeoutTimestampMs = NO_TIMESTAMP;
  }

  hasTimedOut(): boolean {
    return this.timedOut;
  }

  setTimeoutDuration(duration: number | string): void {
    if (this.timeout !== GroupStateTimeout.ProcessingTimeTimeout) {
      throw illegal(
        'UNSUPPORTED_OPERATION',
        `Cannot set timeout duration without enabling processing time timeout in ${this.operation}`,
      );
    }
    const ms = typeof duration === 'number' ? duration : durationMs(duration);
    if (!(ms > 0)) throw illegal('INVALID_TIMEOUT', 'Timeout duration must be positive');
    this.timeoutTimestampMs = this.batchTimestampMs + ms;
  }

  setTimeoutTimestamp(timestampMs: number, additionalDuration?: string): void {
    if (this.timeout !== GroupStateTimeout.EventTimeTimeout) {
      throw illegal(
        'UNSUPPORTED_OPERATION',
        `Cannot set timeout timestamp without enabling event time timeout in ${this.operation}`,
      );
    }
    const ts = timestampMs + (additionalDuration ? durationMs(additionalDuration) : 0);
    if (this.watermarkMs !== undefined && ts < this.watermarkMs) {
      throw illegal(
        'INVALID_TIMEOUT',
        `Timeout timestamp (${ts}) cannot be earlier than the current watermark (${this.watermarkMs})`,
      );
    }
    this.timeoutTimestampMs = ts;
  }

  getCurrentWatermarkMs(): number {
    if (this.watermarkMs === undefined) {
      throw illegal(
        'UNSUPPORTED_OPERATION',
        `Cannot get event time watermark timestamp without setting watermark before ${this.operation}`,
      );
    }
    return this.watermarkMs;
  }

  getCurrentProcessingTimeMs(): number {
    return this.batchTimestampMs;
  }

  /** What the call left: the state to keep (or undefined to remove) and the timeout. */
  outcome(): { keep: boolean; value: S | undefined; changed: boolean; timeoutTimestampMs: number } {
    return {
      keep: this.defined,
      value: this.value,
      changed: this.updated || this.removed,
      timeoutTimestampMs: this.defined ? this.timeoutTimestampMs : NO_TIMESTAMP,
    };
  }
}

function durationMs(text: string): number {
  try {
    return intervalToMillis(text);
  } catch {
    throw illegal('INVALID_TIMEOUT', `Invalid duration '${text}'`);
  }
}
