export {
  checkpointFsyncEnabled,
  setCheckpointFsync,
  writeFileAtomic,
  writeFileAtomicIfAbsent,
} from './atomic-file.js';
export { StreamCheckpoint, type StreamMetadata } from './checkpoint.js';
export { CommitLog, type CommitMetadata } from './commit-log.js';
export { corruptLogError, MetadataLog, parseJsonLine, stripVersion } from './metadata-log.js';
export { type OffsetSeq, OffsetSeqLog, type OffsetSeqMetadata } from './offset-seq-log.js';
