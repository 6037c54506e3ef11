// Decodes one parquet file with hyparquet (an async library) in a child process, so the
// synchronous DataFrame API (`session.read.parquet(path)`) can read parquet: rows are written to
// stdout as msgpack. Timestamps are returned as microseconds, dates as days (the engine's values).
import { readFileSync } from 'node:fs';
import { parquetRead } from 'hyparquet';
import { pack } from 'msgpackr';

const file = process.argv[2];
const buf = readFileSync(file);
const arrayBuffer = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
const parsers = {
  timestampFromMilliseconds: (v) => Number(v) * 1000,
  timestampFromMicroseconds: (v) => Number(v),
  timestampFromNanoseconds: (v) => Math.floor(Number(v) / 1000),
  dateFromDays: (v) => v,
  stringFromBytes: (v) => (v === undefined || v === null ? v : new TextDecoder().decode(v)),
  jsonFromBytes: (v) => (v === undefined || v === null ? v : JSON.parse(new TextDecoder().decode(v))),
  uuidFromBytes: (v) => v,
  geometryFromBytes: (v) => v,
  geographyFromBytes: (v) => v,
};
await parquetRead({
  file: arrayBuffer,
  rowFormat: 'array',
  parsers,
  onComplete: (rows) => {
    process.stdout.write(pack(rows));
  },
});
