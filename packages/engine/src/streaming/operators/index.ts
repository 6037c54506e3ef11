import { type DedupConfig, DedupExec } from './dedup-exec.js';
import {
  type FlatMapGroupsWithStateConfig,
  FlatMapGroupsWithStateExec,
} from './flat-map-groups-with-state-exec.js';
import { type SessionWindowAggregateConfig, SessionWindowAggregateExec } from './session-window-exec.js';
import { type StatefulAggregateConfig, StatefulAggregateExec } from './stateful-aggregate-exec.js';
import type { StatefulOperator } from './stateful-operator.js';
import { type StreamStreamJoinConfig, StreamStreamJoinExec } from './stream-stream-join-exec.js';
import { type TransformWithStateConfig, TransformWithStateExec } from './transform-with-state-exec.js';

/**
 * Plain, serializable configs of the streaming (stateful) operators. Adding an operator is one file
 * plus one case here and one in `createStatefulOperator`.
 */
export type StatefulOperatorConfig =
  | ({ readonly kind: 'aggregate' } & StatefulAggregateConfig)
  | ({ readonly kind: 'dedup' } & DedupConfig)
  | ({ readonly kind: 'sessionAggregate' } & SessionWindowAggregateConfig)
  | ({ readonly kind: 'streamStreamJoin' } & StreamStreamJoinConfig)
  | ({ readonly kind: 'flatMapGroupsWithState' } & FlatMapGroupsWithStateConfig)
  | ({ readonly kind: 'transformWithState' } & TransformWithStateConfig);

/** Builds a stateful operator from its config (one exhaustive switch). */
export function createStatefulOperator(config: StatefulOperatorConfig): StatefulOperator {
  switch (config.kind) {
    case 'aggregate':
      return new StatefulAggregateExec(config);
    case 'dedup':
      return new DedupExec(config);
    case 'sessionAggregate':
      return new SessionWindowAggregateExec(config);
    case 'streamStreamJoin':
      return new StreamStreamJoinExec(config);
    case 'flatMapGroupsWithState':
      return new FlatMapGroupsWithStateExec(config);
    case 'transformWithState':
      return new TransformWithStateExec(config);
  }
}

export { type DedupConfig, DedupExec } from './dedup-exec.js';
export { type SessionWindowAggregateConfig, SessionWindowAggregateExec } from './session-window-exec.js';
export { type StatefulAggregateConfig, StatefulAggregateExec } from './stateful-aggregate-exec.js';
export type {
  BatchInfo,
  RowSource,
  StatefulOperator,
  StatefulOperatorContext,
} from './stateful-operator.js';
export {
  type StreamStreamJoinConfig,
  StreamStreamJoinExec,
  streamStreamJoinConfig,
} from './stream-stream-join-exec.js';
