import { type StatefulAggregateConfig, StatefulAggregateExec } from './stateful-aggregate-exec.js';
import type { StatefulOperator } from './stateful-operator.js';

/**
 * Plain, serializable configs of the streaming (stateful) operators. Adding an operator is one file
 * plus one case in `createStatefulOperator`.
 */
export type StatefulOperatorConfig = { readonly kind: 'aggregate' } & StatefulAggregateConfig;

/** Builds a stateful operator from its config (one exhaustive switch). */
export function createStatefulOperator(config: StatefulOperatorConfig): StatefulOperator {
  switch (config.kind) {
    case 'aggregate':
      return new StatefulAggregateExec(config);
  }
}

export { type StatefulAggregateConfig, StatefulAggregateExec } from './stateful-aggregate-exec.js';
export type { BatchInfo, StatefulOperator, StatefulOperatorContext } from './stateful-operator.js';
