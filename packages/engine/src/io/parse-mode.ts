import { ExecutionError } from '../errors.js';

export type RecordOutcome = 'keep' | 'drop';

/** Spark's parse modes for malformed records: PERMISSIVE (default), DROPMALFORMED, FAILFAST. */
export class ParseMode {
  constructor(readonly mode: 'PERMISSIVE' | 'DROPMALFORMED' | 'FAILFAST') {}

  static of(option: string | undefined): ParseMode {
    const m = (option ?? 'PERMISSIVE').toUpperCase();
    if (m === 'DROPMALFORMED' || m === 'FAILFAST') return new ParseMode(m);
    return new ParseMode('PERMISSIVE');
  }

  /** What to do with a record; FAILFAST throws Spark's MALFORMED_RECORD_IN_PARSING error. */
  onRecord(malformed: boolean, text: string): RecordOutcome {
    if (!malformed) return 'keep';
    if (this.mode === 'FAILFAST')
      throw new ExecutionError(
        'MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION',
        `Malformed records are detected in record parsing: ${text}. Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.`,
      );
    return this.mode === 'DROPMALFORMED' ? 'drop' : 'keep';
  }
}
