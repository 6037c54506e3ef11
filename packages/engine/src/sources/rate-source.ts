import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisError } from '../errors.js';
import { writeFileAtomic } from '../streaming/checkpoint/atomic-file.js';
import { corruptLogError, stripVersion } from '../streaming/checkpoint/metadata-log.js';
import { chunkRows } from '../streaming/chunks.js';
import type { Row } from '../types/data-type.js';
import { field, intOption, struct, T } from './schema-util.js';
import {
  getOption,
  type MicroBatchStream,
  type Offset,
  type ReadLimit,
  readAllAvailable,
  type SourceContext,
  type SourceProvider,
} from './source.js';

/** Schema of `rate` and `rate-micro-batch`: `timestamp TIMESTAMP, value LONG`. */
export const RATE_SCHEMA = struct(field('timestamp', T.timestamp, true), field('value', T.long, true));

/** Spark's RateStreamProvider.valueAtSecond: total rows produced by `seconds`, with ramp-up. */
export function valueAtSecond(seconds: number, rowsPerSecond: number, rampUpTimeSeconds: number): number {
  const speedDeltaPerSecond = Math.floor(rowsPerSecond / (rampUpTimeSeconds + 1));
  if (seconds <= rampUpTimeSeconds) {
    return seconds % 2 === 1
      ? ((seconds + 1) / 2) * speedDeltaPerSecond * seconds
      : (seconds / 2) * speedDeltaPerSecond * (seconds + 1);
  }
  const rampUpPart = valueAtSecond(rampUpTimeSeconds, rowsPerSecond, rampUpTimeSeconds);
  return rampUpPart + (seconds - rampUpTimeSeconds) * rowsPerSecond;
}

function parseDurationSeconds(raw: string): number {
  const m = /^\s*(\d+)\s*(ms|s|m|h|d)?\s*$/i.exec(raw);
  if (!m) throw new AnalysisError('INVALID_OPTION', `Invalid value '${raw}' for option 'rampUpTime'`);
  const n = Number(m[1]);
  switch ((m[2] ?? 's').toLowerCase()) {
    case 'ms':
      return Math.floor(n / 1000);
    case 'm':
      return n * 60;
    case 'h':
      return n * 3600;
    case 'd':
      return n * 86400;
    default:
      return n;
  }
}

/**
 * `rate`: `rowsPerSecond` rows per second (after `rampUpTime`), offsets are whole seconds since the
 * query first started (kept in `sources/<n>/0`), as Spark's RateStreamMicroBatchStream.
 */
export class RateStream implements MicroBatchStream {
  readonly schema = RATE_SCHEMA;
  readonly description: string;
  private readonly creationTimeMs: number;
  private lastTimeMs: number;

  constructor(
    ctx: SourceContext,
    readonly rowsPerSecond: number,
    readonly rampUpTimeSeconds: number,
    readonly numPartitions: number | undefined,
    private readonly clock: () => number = Date.now,
  ) {
    this.description = `RateStreamV2[rowsPerSecond=${rowsPerSecond}, rampUpTimeSeconds=${rampUpTimeSeconds}, numPartitions=${numPartitions ?? 'default'}`;
    const file = path.join(ctx.metadataPath, '0');
    if (fs.existsSync(file)) {
      const text = fs.readFileSync(file, 'utf8');
      let created: number;
      try {
        created = Number(stripVersion(text, 1).rest.trim());
        if (!Number.isFinite(created)) throw new Error('creation time is not a number');
      } catch (err) {
        throw corruptLogError(file, err);
      }
      this.creationTimeMs = created;
    } else {
      this.creationTimeMs = clock();
      writeFileAtomic(file, `v1\n${this.creationTimeMs}`);
    }
    this.lastTimeMs = this.creationTimeMs;
  }

  initialOffset(): Offset {
    return 0;
  }

  getDefaultReadLimit(): ReadLimit {
    return readAllAvailable;
  }

  latestOffset(): Offset {
    const now = this.clock();
    if (this.lastTimeMs < now) this.lastTimeMs = now;
    return Math.floor((this.lastTimeMs - this.creationTimeMs) / 1000);
  }

  reportLatestOffset(): Offset {
    return this.latestOffset();
  }

  getBatch(start: Offset, end: Offset): Row[] {
    const startSeconds = Number(start);
    const endSeconds = Number(end);
    if (endSeconds <= startSeconds) return [];
    const rangeStart = valueAtSecond(startSeconds, this.rowsPerSecond, this.rampUpTimeSeconds);
    const rangeEnd = valueAtSecond(endSeconds, this.rowsPerSecond, this.rampUpTimeSeconds);
    const localStartTimeMs = this.creationTimeMs + startSeconds * 1000;
    const relativeMsPerValue = ((endSeconds - startSeconds) * 1000) / (rangeEnd - rangeStart);
    const parts = this.numPartitions ?? 1;
    const rows: Row[] = new Array(rangeEnd - rangeStart);
    let i = 0;
    for (let p = 0; p < parts; p++) {
      for (let v = rangeStart + p; v < rangeEnd; v += parts) {
        const ms = localStartTimeMs + Math.round((v - rangeStart) * relativeMsPerValue);
        rows[i++] = [ms * 1000, v];
      }
    }
    return rows;
  }

  commit(): void {}
  stop(): void {}

  deserializeOffset(json: string): Offset {
    return Number(JSON.parse(json));
  }
}

export const rateSourceProvider: SourceProvider = {
  format: 'rate',
  supportsContinuous: true,
  sourceSchema(_options, userSchema) {
    if (userSchema) {
      throw new AnalysisError(
        'UNSUPPORTED_USER_SPECIFIED_SCHEMA',
        'The rate source does not support a user-specified schema.',
      );
    }
    return RATE_SCHEMA;
  },
  createStream(ctx) {
    const o = ctx.options;
    const rowsPerSecond = intOption(o, 'rowsPerSecond', 1, getOption, { min: 1 });
    const rampRaw = getOption(o, 'rampUpTime');
    const ramp = rampRaw === undefined ? 0 : parseDurationSeconds(rampRaw);
    const partsRaw = getOption(o, 'numPartitions');
    const parts =
      partsRaw === undefined ? undefined : intOption(o, 'numPartitions', 1, getOption, { min: 1 });
    return new RateStream(ctx, rowsPerSecond, ramp, parts);
  },
};

interface RatePerMicroBatchOffset {
  offset: number;
  timestamp: number;
}

/**
 * `rate-micro-batch`: exactly `rowsPerBatch` rows per batch whatever the wall clock, every row of a
 * batch stamped with the batch's start timestamp (`startTimestamp + batch * advanceMillisPerBatch`).
 */
export class RatePerMicroBatchStream implements MicroBatchStream {
  readonly schema = RATE_SCHEMA;
  readonly description: string;
  private availableNowEnd: RatePerMicroBatchOffset | undefined;
  private availableNow = false;

  constructor(
    readonly rowsPerBatch: number,
    readonly numPartitions: number,
    readonly startTimestamp: number,
    readonly advanceMillisPerBatch: number,
  ) {
    this.description = `RatePerMicroBatchStream[rowsPerBatch=${rowsPerBatch}, numPartitions=${numPartitions}, startTimestamp=${startTimestamp}, advanceMsPerBatch=${advanceMillisPerBatch}]`;
  }

  initialOffset(): Offset {
    return { offset: 0, timestamp: this.startTimestamp } satisfies RatePerMicroBatchOffset;
  }

  getDefaultReadLimit(): ReadLimit {
    return { kind: 'maxRows', max: this.rowsPerBatch };
  }

  prepareForTriggerAvailableNow(): void {
    this.availableNow = true;
  }

  latestOffset(start: Offset): Offset {
    const s = start as RatePerMicroBatchOffset;
    const next = {
      offset: s.offset + this.rowsPerBatch,
      timestamp: s.timestamp + this.advanceMillisPerBatch,
    };
    if (this.availableNow) {
      this.availableNowEnd ??= next;
      return this.availableNowEnd;
    }
    return next;
  }

  getBatch(start: Offset, end: Offset): Row[] {
    const s = start as RatePerMicroBatchOffset;
    const e = end as RatePerMicroBatchOffset;
    const rows: Row[] = new Array(Math.max(0, e.offset - s.offset));
    const ts = s.timestamp * 1000;
    let i = 0;
    for (let p = 0; p < this.numPartitions; p++) {
      for (let v = s.offset + p; v < e.offset; v += this.numPartitions) rows[i++] = [ts, v];
    }
    return rows;
  }

  /** The rows of `getBatch`, in the same order, generated a chunk at a time. */
  async *getBatchChunks(start: Offset, end: Offset): AsyncIterable<Row[]> {
    const s = start as RatePerMicroBatchOffset;
    const e = end as RatePerMicroBatchOffset;
    const ts = s.timestamp * 1000;
    const size = chunkRows();
    let chunk: Row[] = [];
    for (let p = 0; p < this.numPartitions; p++) {
      for (let v = s.offset + p; v < e.offset; v += this.numPartitions) {
        chunk.push([ts, v]);
        if (chunk.length >= size) {
          yield chunk;
          chunk = [];
        }
      }
    }
    if (chunk.length > 0) yield chunk;
  }

  commit(): void {}
  stop(): void {}

  deserializeOffset(json: string): Offset {
    const o = JSON.parse(json) as RatePerMicroBatchOffset;
    if (typeof o?.offset !== 'number' || typeof o.timestamp !== 'number') {
      throw new Error(`not a rate-micro-batch offset: ${json}`);
    }
    return { offset: o.offset, timestamp: o.timestamp };
  }
}

export const ratePerMicroBatchSourceProvider: SourceProvider = {
  format: 'rate-micro-batch',
  sourceSchema(_options, userSchema) {
    if (userSchema) {
      throw new AnalysisError(
        'UNSUPPORTED_USER_SPECIFIED_SCHEMA',
        'The rate-micro-batch source does not support a user-specified schema.',
      );
    }
    return RATE_SCHEMA;
  },
  createStream(ctx) {
    const o = ctx.options;
    if (getOption(o, 'rowsPerBatch') === undefined) {
      throw new AnalysisError(
        'INVALID_OPTION',
        "Invalid value 'null'. The option 'rowsPerBatch' must be positive",
      );
    }
    return new RatePerMicroBatchStream(
      intOption(o, 'rowsPerBatch', 0, getOption, { min: 1 }),
      intOption(o, 'numPartitions', 1, getOption, { min: 1 }),
      intOption(o, 'startTimestamp', 0, getOption, { min: 0 }),
      intOption(o, 'advanceMillisPerBatch', 1000, getOption, { min: 0 }),
    );
  },
};
