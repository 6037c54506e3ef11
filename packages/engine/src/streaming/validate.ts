import type { DataFrame } from '../dataframe/dataframe.js';
import { SluiceError } from '../errors.js';
import { optimize } from '../plan/optimizer.js';
import type { OutputMode } from '../sinks/sink.js';
import { checkForContinuous, checkForStreaming } from './unsupported-operation-checker.js';

/** One output mode's verdict for a streaming query (what `POST /api/queries/validate` reports). */
export interface OutputModeCheck {
  readonly outputMode: OutputMode;
  readonly ok: boolean;
  /** Spark's reason when the mode is refused. */
  readonly error?: string;
}

/**
 * Runs the checks `start()` makes (analysis, UnsupportedOperationChecker) for every output mode
 * without starting anything. Analysis errors (unknown columns, bad types) are thrown as they are.
 */
export function checkOutputModes(df: DataFrame, continuous = false): OutputModeCheck[] {
  const bound = optimize(df.analyzed());
  return (['append', 'update', 'complete'] as const).map((outputMode) => {
    try {
      if (continuous) checkForContinuous(bound, outputMode);
      else checkForStreaming(bound, outputMode);
      return { outputMode, ok: true };
    } catch (err) {
      if (err instanceof SluiceError && (err.category === 'analysis' || err.category === 'notImplemented')) {
        return { outputMode, ok: false, error: err.message };
      }
      throw err;
    }
  });
}

/** The output modes a streaming DataFrame can be started with. */
export function allowedOutputModes(df: DataFrame): OutputMode[] {
  return checkOutputModes(df)
    .filter((c) => c.ok)
    .map((c) => c.outputMode);
}
