// The batch readers (json, csv, text, parquet) register themselves with the file source.
import '../io/reader.js';
import { fileSourceProvider } from './file-source.js';
import { kafkaSourceProvider } from './kafka/kafka-source.js';
import './kafka/kafka-batch.js';
import { memorySourceProvider } from './memory-stream.js';
import { ratePerMicroBatchSourceProvider, rateSourceProvider } from './rate-source.js';
import { registerSource } from './registry.js';
import { socketSourceProvider } from './socket-source.js';

export { type FileFormatReader, getFileFormatReader, registerFileFormatReader } from './file-formats.js';
export { type FileEntry, FileStream, fileSourceProvider, listDataFiles } from './file-source.js';
export { MemoryStream, memorySourceProvider } from './memory-stream.js';
export {
  RATE_SCHEMA,
  RatePerMicroBatchStream,
  RateStream,
  ratePerMicroBatchSourceProvider,
  rateSourceProvider,
  valueAtSecond,
} from './rate-source.js';
export { lookupSource, registeredSources, registerSource } from './registry.js';
export { SocketStream, socketSourceProvider } from './socket-source.js';
export {
  getOption,
  isSourceDescriptor,
  type MicroBatchStream,
  type Offset,
  type ReadLimit,
  readAllAvailable,
  type SourceContext,
  type SourceProvider,
  type StreamingSourceDescriptor,
} from './source.js';

registerSource('rate', rateSourceProvider);
registerSource('rate-micro-batch', ratePerMicroBatchSourceProvider);
registerSource('memory', memorySourceProvider);
registerSource('socket', socketSourceProvider);
for (const f of ['json', 'csv', 'text', 'parquet']) registerSource(f, fileSourceProvider(f));
registerSource('kafka', kafkaSourceProvider);
