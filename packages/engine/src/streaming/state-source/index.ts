import { registerBatchFormat } from '../../io/batch-formats.js';
import { checkpointRoot, readStateMetadata, readStateStore } from './state-reader.js';

/**
 * Spark 4's state data sources over a streaming checkpoint, as batch formats:
 * `session.read.format('statestore').load(checkpoint)` and `.format('state-metadata')`.
 */
registerBatchFormat('statestore', ({ options, paths }) => {
  const root = checkpointRoot(options, paths);
  const { schema, rows } = readStateStore(root, options);
  return { kind: 'localRelation', schema, rows, label: `StateDataSource [${root}]` };
});

registerBatchFormat('state-metadata', ({ options, paths }) => {
  const root = checkpointRoot(options, paths);
  const { schema, rows } = readStateMetadata(root);
  return { kind: 'localRelation', schema, rows, label: `StateMetadataSource [${root}]` };
});

export { readStateSchema, type StateSchema, stateSchemaPath, writeStateSchema } from './spark-schema.js';
export { readStateMetadata, readStateStore } from './state-reader.js';
export { describeState } from './state-schema.js';
