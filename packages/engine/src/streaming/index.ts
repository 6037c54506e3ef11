import type { DataFrame } from '../dataframe/dataframe.js';
import type { Session } from '../session/session.js';
import { registerStreamingSupport } from '../session/streaming-hooks.js';
import '../sinks/index.js';
import '../sources/index.js';
// read.format('statestore') / read.format('state-metadata') over checkpoints.
import './state-source/index.js';
import { DataStreamReader } from './data-stream-reader.js';
import { DataStreamWriter } from './data-stream-writer.js';
import { streamsOf } from './streaming-query-manager.js';

export * from '../sinks/index.js';
export * from '../sources/index.js';
export * from '../state/index.js';
export * from './checkpoint/index.js';
export { chunkRows, setChunkRows } from './chunks.js';
export { DataStreamReader, memoryStreamDF, streamingRelation } from './data-stream-reader.js';
export { DataStreamWriter } from './data-stream-writer.js';
export { IncrementalExecution } from './incremental-execution.js';
export type {
  QueryIdleEvent,
  QueryProgressEvent,
  QueryStartedEvent,
  QueryTerminatedEvent,
  StreamingQueryListener,
} from './listener.js';
export {
  type BatchInfo,
  createStatefulOperator,
  StatefulAggregateExec,
  type StatefulOperator,
  type StatefulOperatorConfig,
  type StatefulOperatorContext,
} from './operators/index.js';
export {
  progressJson,
  progressPrettyJson,
  type SinkProgress,
  type SourceProgress,
  type StateOperatorProgress,
  type StreamingQueryProgress,
  type StreamingQueryStatus,
} from './progress.js';
export { StreamExecution } from './stream-execution.js';
export { StreamingQuery } from './streaming-query.js';
export { StreamingQueryManager, streamsOf } from './streaming-query-manager.js';
export { describeTrigger, resolveTrigger, Trigger, type TriggerSpec } from './trigger.js';
export { ManualClock, systemClock, type TriggerClock } from './trigger-clock.js';
export { checkForContinuous, checkForStreaming } from './unsupported-operation-checker.js';
export { allowedOutputModes, checkOutputModes, type OutputModeCheck } from './validate.js';

registerStreamingSupport({
  readStream: (session) => new DataStreamReader(session as Session),
  streams: (session) => streamsOf(session as object),
  writeStream: (df) => new DataStreamWriter(df as DataFrame),
});
