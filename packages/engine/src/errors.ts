/**
 * Errors by category with stable prefixes that tests and the REST API can match
 * (`[PARSE_SYNTAX_ERROR] ...`, `[UNRESOLVED_COLUMN.WITH_SUGGESTION] ...`). `errorClass` uses
 * Spark's error-class names where Spark has one.
 */
export interface ErrorPosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export abstract class SluiceError extends Error {
  abstract readonly category:
    | 'parse'
    | 'analysis'
    | 'execution'
    | 'notImplemented'
    | 'internal'
    | 'streaming';
  constructor(
    readonly errorClass: string,
    message: string,
    readonly position?: ErrorPosition,
    options?: { cause?: unknown },
  ) {
    super(`[${errorClass}] ${message}`, options);
    this.name = new.target.name;
  }
}

/** SQL text that does not parse. The message ends with the offending line and a caret under the column. */
export class ParseError extends SluiceError {
  readonly category = 'parse';
}

/** Valid syntax that does not make sense: unknown names, type mismatches, unsupported operations. */
export class AnalysisError extends SluiceError {
  readonly category = 'analysis';
}

/** Failure while evaluating rows: ANSI cast errors, division by zero, a throwing user function. */
export class ExecutionError extends SluiceError {
  readonly category = 'execution';
}

export class NotImplementedError extends SluiceError {
  readonly category = 'notImplemented';
}

/** A bug in Sluice, never the user's fault. */
export class InternalError extends SluiceError {
  readonly category = 'internal';
}

/** StreamingQueryException: a streaming query stopped because of an error. */
export class StreamingQueryError extends SluiceError {
  readonly category = 'streaming';
}

/**
 * Runs a recursive pass over a plan or expression tree, turning a JavaScript stack overflow into a
 * typed error: a generated query can be valid and still nest deeper (a 5000-term OR chain, `d[0]`
 * repeated 5000 times) than the engine's recursive passes can walk.
 */
export function guardRecursion<T>(pass: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof RangeError && /Maximum call stack size exceeded/.test(e.message)) {
      throw new AnalysisError(
        'QUERY_TOO_DEEPLY_NESTED',
        `The query nests expressions or operators too deeply for ${pass}; split long chains (for example many ORs into IN (...)) or nest less.`,
      );
    }
    throw e;
  }
}
