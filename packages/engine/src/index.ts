/**
 * @sluice/engine — Spark Structured Streaming's model and API in TypeScript.
 * The public API: Session, DataFrame, Column and the `functions` module (Spark names), the plan
 * entry points the streaming layer uses, types and errors.
 */
export const ENGINE_VERSION = '0.0.0';

export { Column, type ColumnLike } from './dataframe/column.js';
export { DataFrame, GroupedData } from './dataframe/dataframe.js';
export { Dataset, type Encoder, encoderType } from './dataframe/dataset.js';
export * as functions from './dataframe/functions.js';
export * from './dataframe/functions.js';
export { KeyValueGroupedDataset } from './dataframe/key-value-grouped.js';
export { Row } from './dataframe/row.js';
export { showString } from './dataframe/show.js';
export { UDFRegistration, type UserDefinedFunction, udf } from './dataframe/udf.js';
export * from './errors.js';
export type { PhysicalOperator } from './exec/operator.js';
export { type PhysicalPlanOptions, planPhysical } from './exec/planner.js';
export { Decimal, formatValue, Interval, intervalToMicros, parseIntervalString } from './expr/index.js';
// The function registry's names and kinds (for editors' completion lists).
export { functionNames, lookupFunction } from './functions/registry.js';
// Batch I/O (readers reused by the streaming file source)
export { DataFrameReader, type FileFormat, inferFileSchema, readFileBytes, readFiles } from './io/reader.js';
export { DataFrameWriter, encodeFile } from './io/writer.js';
export { type AnalyzerContext, analyze, fieldsOf, schemaOf } from './plan/analyzer.js';
export type * from './plan/bound-plan.js';
export { boundTreeString, type ExplainMode, explainString, logicalTreeString } from './plan/explain.js';
// Plans (for the streaming layer and tools)
export type * from './plan/logical/plan.js';
export { optimize } from './plan/optimizer.js';
export { Catalog, type TableInfo } from './session/catalog.js';
export { RuntimeConfig } from './session/conf.js';
// Session & DataFrame API
export { Session, SessionBuilder } from './session/session.js';
export { registerStreamingSupport, type StreamingSupport } from './session/streaming-hooks.js';
// Spark's `kafka.*` options as a kafkajs client config (the server's own Kafka clients use the same mapping).
export { kafkaClientConfig } from './sources/kafka/kafka-client-config.js';
// Kafka records outside a query, without a consumer group (the server's message browser and tail).
export {
  followKafkaTopic,
  type KafkaOffsetRange,
  KafkaReadTimeoutError,
  type KafkaRecord,
  type KafkaTopicFollower,
  readKafkaRanges,
} from './sources/kafka/kafka-records.js';
// SQL front end, expressions and values
export {
  parseDataType,
  parseExpression,
  parseQuery,
  parseStatements,
  parseTableSchema,
} from './sql/index.js';
export { type GroupState, GroupStateTimeout } from './streaming/group-state.js';
// Streaming (registers session.readStream / session.streams / df.writeStream)
export * from './streaming/index.js';
export {
  type ExpiredTimerInfo,
  type ListState,
  type MapState,
  StatefulProcessor,
  type StatefulProcessorHandle,
  type TimeMode,
  type TimerValues,
  type TTLConfig,
  type ValueState,
} from './streaming/stateful-processor.js';
export type { DataType, Row as RowValues, Schema, StructField, StructType } from './types/data-type.js';
export { simpleString } from './types/types.js';
