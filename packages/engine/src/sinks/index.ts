import { consoleSinkProvider } from './console-sink.js';
import { fileSinkProvider } from './file-sink.js';
import { kafkaSinkProvider } from './kafka/kafka-sink.js';
import { memorySinkProvider } from './memory-sink.js';
import { postgresSinkProvider } from './postgres-sink.js';
import { registerSink } from './registry.js';

export { ConsoleSink, consoleOutput, consoleSinkProvider } from './console-sink.js';
export {
  csvWriter,
  type FileFormatWriter,
  getFileFormatWriter,
  isoTimestamp,
  jsonWriter,
  registerFileFormatWriter,
  textWriter,
} from './file-formats-write.js';
export { FileSink, fileSinkProvider } from './file-sink.js';
export {
  committedSinkFiles,
  FileStreamSinkLog,
  hasSinkMetadata,
  SINK_METADATA_DIR,
  type SinkFileStatus,
} from './file-sink-log.js';
export {
  type ForeachBatchFunction,
  ForeachBatchSink,
  ForeachSink,
  type ForeachWriter,
} from './foreach-sink.js';
export {
  dropMemoryTable,
  getMemoryTable,
  MemorySink,
  type MemoryTableListener,
  type MemoryTableSession,
  memorySinkProvider,
  memoryTableNames,
  onMemoryTableRows,
} from './memory-sink.js';
export { PostgresSink, pgType, postgresSinkProvider, SINK_COMMITS_TABLE } from './postgres-sink.js';
export { lookupSink, registeredSinks, registerSink } from './registry.js';
export type { OutputMode, Sink, SinkContext, SinkProvider } from './sink.js';

registerSink('console', consoleSinkProvider);
registerSink('memory', memorySinkProvider);
registerSink('postgres', postgresSinkProvider);
for (const f of ['json', 'csv', 'text', 'parquet']) registerSink(f, fileSinkProvider(f));
registerSink('kafka', kafkaSinkProvider);
