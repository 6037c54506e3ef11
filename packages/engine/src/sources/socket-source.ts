import * as net from 'node:net';
import { AnalysisError } from '../errors.js';
import type { Row } from '../types/data-type.js';
import { field, struct, T } from './schema-util.js';
import {
  getOption,
  type MicroBatchStream,
  type Offset,
  type ReadLimit,
  readAllAvailable,
  type SourceProvider,
} from './source.js';

const VALUE_SCHEMA = struct(field('value', T.string, true));
const VALUE_TS_SCHEMA = struct(field('value', T.string, true), field('timestamp', T.timestamp, true));

/**
 * Spark's TextSocketMicroBatchStream: connects to `host:port` as a client, each line one row
 * (`value`, plus the arrival `timestamp` with `includeTimestamp`). Offsets count lines received
 * (-1 = none); committed lines are dropped. Not fault tolerant, as in Spark.
 */
export class SocketStream implements MicroBatchStream {
  readonly schema;
  readonly description: string;
  private readonly lines: Row[] = [];
  private firstOffset = 0;
  private partial = '';
  private readonly socket: net.Socket;
  private error: Error | undefined;
  private readonly listeners = new Set<(rows: Row[]) => void>();

  constructor(
    readonly host: string,
    readonly port: number,
    readonly includeTimestamp: boolean,
  ) {
    this.schema = includeTimestamp ? VALUE_TS_SCHEMA : VALUE_SCHEMA;
    this.description = `TextSocketV2[host: ${host}, port: ${port}]`;
    this.socket = net.connect({ host, port });
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => this.onData(chunk));
    this.socket.on('error', (err) => {
      this.error = err;
    });
  }

  private onData(chunk: string): void {
    const text = this.partial + chunk;
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    if (parts.length === 0) return;
    const now = Date.now() * 1000;
    const rows: Row[] = [];
    for (let line of parts) {
      if (line.endsWith('\r')) line = line.slice(0, -1);
      const row: Row = this.includeTimestamp ? [line, now] : [line];
      this.lines.push(row);
      rows.push(row);
    }
    for (const l of this.listeners) l(rows);
  }

  /** Calls `listener` with rows as they arrive (continuous processing). */
  subscribe(listener: (rows: Row[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  initialOffset(): Offset {
    return -1;
  }

  getDefaultReadLimit(): ReadLimit {
    return readAllAvailable;
  }

  latestOffset(): Offset {
    if (this.error) {
      throw new AnalysisError(
        'SOCKET_SOURCE_ERROR',
        `Cannot read from socket ${this.host}:${this.port}: ${this.error.message}`,
      );
    }
    return this.firstOffset + this.lines.length - 1;
  }

  getBatch(start: Offset, end: Offset): Row[] {
    const s = Number(start) + 1 - this.firstOffset;
    const e = Number(end) + 1 - this.firstOffset;
    if (s < 0) {
      throw new AnalysisError(
        'SOCKET_SOURCE_DATA_LOST',
        `Offsets from ${Number(start) + 1} were already committed and dropped by ${this.description}`,
      );
    }
    return this.lines.slice(s, e);
  }

  commit(end: Offset): void {
    const n = Number(end) + 1 - this.firstOffset;
    if (n > 0) {
      this.lines.splice(0, n);
      this.firstOffset += n;
    }
  }

  stop(): void {
    this.socket.destroy();
  }

  deserializeOffset(json: string): Offset {
    return Number(JSON.parse(json));
  }
}

export const socketSourceProvider: SourceProvider = {
  format: 'socket',
  supportsContinuous: true,
  sourceSchema(options, userSchema) {
    if (userSchema) {
      throw new AnalysisError(
        'UNSUPPORTED_USER_SPECIFIED_SCHEMA',
        'The socket source does not support a user-specified schema.',
      );
    }
    if (!getOption(options, 'host'))
      throw new AnalysisError('INVALID_OPTION', 'Set a host to read from with option("host", ...).');
    if (!getOption(options, 'port'))
      throw new AnalysisError('INVALID_OPTION', 'Set a port to read from with option("port", ...).');
    return (getOption(options, 'includeTimestamp') ?? 'false').toLowerCase() === 'true'
      ? VALUE_TS_SCHEMA
      : VALUE_SCHEMA;
  },
  createStream(ctx) {
    const port = Number(getOption(ctx.options, 'port'));
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new AnalysisError('INVALID_OPTION', `Invalid port ${getOption(ctx.options, 'port')}`);
    }
    return new SocketStream(
      getOption(ctx.options, 'host')!,
      port,
      (getOption(ctx.options, 'includeTimestamp') ?? 'false').toLowerCase() === 'true',
    );
  },
};
