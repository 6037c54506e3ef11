import { showString } from '../dataframe/show.js';
import { AnalysisError } from '../errors.js';
import { getOption } from '../sources/source.js';
import type { Row, StructType } from '../types/data-type.js';
import type { Sink, SinkProvider } from './sink.js';

/** Where console sinks print; tests and the server may redirect it. */
export const consoleOutput: { write: (text: string) => void } = {
  write: (text) => {
    process.stdout.write(text);
  },
};

/**
 * Spark's console sink: prints each batch as
 * `-------------------------------------------\nBatch: N\n-------------------------------------------`
 * followed by the show() table of at most `numRows` rows (`truncate` cuts long cells).
 */
export class ConsoleSink implements Sink {
  readonly description: string;

  constructor(
    readonly numRows: number,
    readonly truncate: boolean,
  ) {
    this.description = `org.apache.spark.sql.execution.streaming.ConsoleTable$@sluice`;
  }

  addBatch(batchId: number, rows: Row[], schema: StructType): void {
    const bar = '-------------------------------------------';
    consoleOutput.write(
      `${bar}\nBatch: ${batchId}\n${bar}\n${showString(schema, rows, this.numRows, this.truncate ? 20 : 0, false)}\n`,
    );
  }
}

export const consoleSinkProvider: SinkProvider = {
  format: 'console',
  supportsAsyncProgressTracking: true,
  supportedOutputModes: ['append', 'update', 'complete'],
  allowsTemporaryCheckpoint: true,
  supportsContinuous: true,
  validate(options) {
    const n = getOption(options, 'numRows');
    if (n !== undefined && !/^\d+$/.test(n.trim())) {
      throw new AnalysisError('INVALID_OPTION', `Invalid value '${n}' for option 'numRows'`);
    }
  },
  createSink(ctx) {
    const n = Number(getOption(ctx.options, 'numRows') ?? '20');
    const t = (getOption(ctx.options, 'truncate') ?? 'true').toLowerCase() !== 'false';
    return new ConsoleSink(n, t);
  },
};
