export { encodeKey, estimateSize } from './key-encoding.js';
export { LmdbStateStoreProvider } from './lmdb-state-store-provider.js';
export { MemoryStateStoreProvider, statePackr, storeDir } from './memory-state-store-provider.js';
export { getStateStoreProviderFactory, registerStateStoreProvider } from './registry.js';
export {
  defaultStateStoreConf,
  type StateStore,
  type StateStoreConf,
  type StateStoreId,
  type StateStoreMetrics,
  type StateStoreProvider,
  type StateStoreProviderFactory,
} from './state-store.js';
