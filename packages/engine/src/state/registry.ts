import { AnalysisError } from '../errors.js';
import { LmdbStateStoreProvider } from './lmdb-state-store-provider.js';
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

/**
 * The factory for a provider name. Built in: `memory` (aliases `hdfs` and Spark's default class
 * name) and the on-disk `lmdb` (aliases `rocksdb` and Spark's RocksDB provider class name).
 */
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

/** True when `name` is the in-memory provider (its state lives in the heap; operators may keep it themselves). */
export function isInMemoryProvider(name: string): boolean {
  return providers.get(name) === memoryFactory;
}

const lmdbFactory: StateStoreProviderFactory = (id, conf) => new LmdbStateStoreProvider(id, conf);
registerStateStoreProvider('lmdb', lmdbFactory);
registerStateStoreProvider('rocksdb', lmdbFactory);
registerStateStoreProvider(
  'org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider',
  lmdbFactory,
);
