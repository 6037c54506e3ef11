export { type BrokerOptions, type RunningBroker, startBroker } from './broker.js';
export { errorByCode, errorTable, type KafkaError } from './protocol/error-codes.js';
export { type BatchOptions, buildBatch } from './records/batch-builder.js';
export { crc32c } from './records/crc32c.js';
export { type ControlMarker, controlBatch } from './records/record-batch.js';
