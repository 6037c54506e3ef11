import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AnalysisError } from '../errors.js';
import { getOption } from '../sources/source.js';
import { checkpointFsyncEnabled } from '../streaming/checkpoint/atomic-file.js';
import type { Row, StructType } from '../types/data-type.js';
import { formatValue } from '../types/format.js';
import { type FileFormatWriter, getFileFormatWriter } from './file-formats-write.js';
import { FileStreamSinkLog, type SinkFileStatus } from './file-sink-log.js';
import type { Sink, SinkProvider } from './sink.js';

/** Hive-style directory name of a partition value (`k=v`, nulls as `__HIVE_DEFAULT_PARTITION__`). */
function partitionSegment(name: string, v: unknown, schema: StructType, index: number): string {
  if (v === null || v === undefined) return `${name}=__HIVE_DEFAULT_PARTITION__`;
  const s = formatValue(v, schema.fields[index]!.dataType, '');
  return `${name}=${encodeURIComponent(s).replace(/%20/g, ' ')}`;
}

/**
 * Spark's FileStreamSink: each batch writes new `part-*` files (under `k=v/` directories with
 * `partitionBy`), fsyncs them, then records them in `_spark_metadata/<batchId>`. A batch id already
 * in the log is skipped, so a re-run batch never duplicates rows; files of a batch that died before
 * its log entry stay invisible to readers.
 */
export class FileSink implements Sink {
  readonly description: string;
  readonly log: FileStreamSinkLog;
  private readonly writer: FileFormatWriter;

  constructor(
    readonly outputPath: string,
    readonly format: string,
    readonly partitionBy: readonly string[],
    readonly options: Readonly<Record<string, string>>,
  ) {
    this.description = `FileSink[${outputPath}]`;
    this.log = new FileStreamSinkLog(outputPath);
    this.writer = getFileFormatWriter(format);
  }

  latestCommittedBatchId(): number | undefined {
    const id = this.log.latestBatchId();
    return id >= 0 ? id : undefined;
  }

  async addBatch(batchId: number, rows: Row[], schema: StructType): Promise<void> {
    if (batchId <= this.log.latestBatchId()) return; // Skipping already committed batch.
    const partIdx = this.partitionBy.map((c) => {
      const i = schema.fields.findIndex((f) => f.name === c);
      if (i < 0)
        throw new AnalysisError(
          'COLUMN_NOT_FOUND',
          `Partition column \`${c}\` not found in schema ${JSON.stringify(schema.fields.map((f) => f.name))}`,
        );
      return i;
    });
    const dataIdx = schema.fields.map((_, i) => i).filter((i) => !partIdx.includes(i));
    const dataSchema: StructType = { kind: 'struct', fields: dataIdx.map((i) => schema.fields[i]!) };
    const groups = new Map<string, Row[]>();
    for (const r of rows) {
      const dir = partIdx
        .map((i) => partitionSegment(schema.fields[i]!.name, r[i], schema, i))
        .join(path.sep);
      let g = groups.get(dir);
      if (!g) {
        g = [];
        groups.set(dir, g);
      }
      g.push(partIdx.length === 0 ? r : dataIdx.map((i) => r[i]));
    }
    const statuses: SinkFileStatus[] = [];
    let n = 0;
    for (const [dir, groupRows] of groups) {
      const name = `part-${String(n++).padStart(5, '0')}-${randomUUID()}.c000${this.writer.extension}`;
      const file = path.join(this.outputPath, dir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const bytes = await this.writer.encode(groupRows, dataSchema, this.options);
      const fd = fs.openSync(file, 'w');
      try {
        fs.writeSync(fd, bytes);
        if (checkpointFsyncEnabled()) fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      const st = fs.statSync(file);
      statuses.push({
        path: pathToFileURL(file).href,
        size: st.size,
        isDir: false,
        modificationTime: Math.floor(st.mtimeMs),
        blockReplication: 1,
        blockSize: 33554432,
        action: 'add',
      });
    }
    this.log.add(batchId, statuses);
  }

  metrics(): Record<string, string> {
    return {};
  }
}

export function fileSinkProvider(format: string): SinkProvider {
  return {
    format,
    supportedOutputModes: ['append'],
    validate(options) {
      if (!getOption(options, 'path'))
        throw new AnalysisError('PATH_NOT_SPECIFIED', "'path' is not specified");
      getFileFormatWriter(format);
    },
    createSink(ctx) {
      const p = path.resolve(getOption(ctx.options, 'path')!);
      return new FileSink(p, format, ctx.partitionBy, ctx.options);
    },
  };
}
