import { AnalysisError } from '../errors.js';
import { intervalToMicros, parseIntervalString } from '../types/interval.js';

/** A resolved trigger (Spark's Trigger). */
export type Trigger =
  | { readonly kind: 'processingTime'; readonly intervalMs: number }
  | { readonly kind: 'once' }
  | { readonly kind: 'availableNow' }
  | { readonly kind: 'continuous'; readonly intervalMs: number };

/**
 * What `writeStream.trigger(...)` accepts, mirroring PySpark's keyword form:
 * `{ processingTime: '5 seconds' }`, `{ once: true }`, `{ availableNow: true }`,
 * `{ continuous: '1 second' }`, a bare interval string / milliseconds (processing time), or a
 * `Trigger` built with the `Trigger` helpers.
 */
export type TriggerSpec =
  | Trigger
  | string
  | number
  | { processingTime: string | number }
  | { once: true }
  | { availableNow: true }
  | { continuous: string | number };

/** Interval text (`'5 seconds'`, `'interval 1 minute'`) or milliseconds → milliseconds. */
export function intervalMs(v: string | number, what: string): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0)
      throw new AnalysisError('INVALID_TRIGGER', `${what} interval must not be negative: ${v}`);
    return v;
  }
  let micros: number;
  try {
    micros = intervalToMicros(parseIntervalString(v));
  } catch (err) {
    throw new AnalysisError('INVALID_TRIGGER', `Invalid ${what} interval '${v}': ${(err as Error).message}`);
  }
  if (micros < 0) throw new AnalysisError('INVALID_TRIGGER', `${what} interval must not be negative: '${v}'`);
  return Math.floor(micros / 1000);
}

/** Builders as Spark's `Trigger.ProcessingTime(...)`, `Trigger.Once()`, ... */
export const Trigger = {
  ProcessingTime(interval: string | number): Trigger {
    return { kind: 'processingTime', intervalMs: intervalMs(interval, 'processing time') };
  },
  Once(): Trigger {
    return { kind: 'once' };
  },
  AvailableNow(): Trigger {
    return { kind: 'availableNow' };
  },
  Continuous(interval: string | number): Trigger {
    return { kind: 'continuous', intervalMs: intervalMs(interval, 'continuous') };
  },
};

/** Resolves a TriggerSpec (throws AnalysisError on anything else). */
export function resolveTrigger(spec: TriggerSpec): Trigger {
  if (typeof spec === 'string' || typeof spec === 'number') return Trigger.ProcessingTime(spec);
  if ('kind' in spec) return spec;
  const keys = Object.keys(spec);
  if (keys.length !== 1) {
    throw new AnalysisError(
      'INVALID_TRIGGER',
      'Only one trigger can be set: one of processingTime, once, availableNow or continuous.',
    );
  }
  if ('processingTime' in spec) return Trigger.ProcessingTime(spec.processingTime);
  if ('once' in spec) {
    if (spec.once !== true)
      throw new AnalysisError('INVALID_TRIGGER', 'Value for once must be True. Got: false');
    return Trigger.Once();
  }
  if ('availableNow' in spec) {
    if (spec.availableNow !== true) {
      throw new AnalysisError('INVALID_TRIGGER', 'Value for availableNow must be True. Got: false');
    }
    return Trigger.AvailableNow();
  }
  if ('continuous' in spec) return Trigger.Continuous(spec.continuous);
  throw new AnalysisError('INVALID_TRIGGER', `Unknown trigger ${JSON.stringify(spec)}`);
}

/** EXPLAIN/description text of a trigger. */
export function describeTrigger(t: Trigger): string {
  switch (t.kind) {
    case 'processingTime':
      return `ProcessingTimeTrigger(${t.intervalMs})`;
    case 'once':
      return 'OneTimeTrigger';
    case 'availableNow':
      return 'AvailableNowTrigger';
    case 'continuous':
      return `ContinuousTrigger(${t.intervalMs})`;
  }
}
