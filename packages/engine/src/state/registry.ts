import { AnalysisError } from '../errors.js';
import { MemoryStateStoreProvider } from './memory-state-store-provider.js';
import type { StateStoreProviderFactory } from './state-store.js';

const providers = new Map<string, StateStoreProviderFactory>();

/**
 * Registers a state store provider under a name usable as
 * `spark.sql.streaming.stateStore.providerClass` (e.g. an LMDB provider for state larger than memory).
 */
export function registerStateStoreProvider(name: string, factory: StateStoreProviderFactory): void {
  providers.set(name, factory);
}

/** The factory for a provider name; `memory` (alias `hdfs`, Spark's default class name) is built in. */
export function getStateStoreProviderFactory(name: string): StateStoreProviderFactory {
  const f = providers.get(name);
  if (!f) {
    throw new AnalysisError(
      'STATE_STORE_PROVIDER_NOT_FOUND',
      `Unknown state store provider ${JSON.stringify(name)}; known: ${[...providers.keys()].join(', ')}`,
    );
  }
  return f;
}

const memoryFactory: StateStoreProviderFactory = (id, conf) => new MemoryStateStoreProvider(id, conf);
registerStateStoreProvider('memory', memoryFactory);
registerStateStoreProvider('hdfs', memoryFactory);
registerStateStoreProvider(
  'org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider',
  memoryFactory,
);
