import { encodeKey } from '../../state/key-encoding.js';
import { getStateStoreProviderFactory } from '../../state/registry.js';
import type { StateStore, StateStoreMetrics, StateStoreProvider } from '../../state/state-store.js';
import type { Row } from '../../types/data-type.js';
import type { StatefulOperatorContext } from './stateful-operator.js';

/** A key's shard and state encoding (`ShardedStateStore.locate`). */
export interface KeyLocation {
  readonly shard: number;
  readonly encoded: string;
}

/** Metrics of one batch over all shards of an operator. */
export interface ShardedMetrics {
  numKeys: number;
  numUpdated: number;
  numRemoved: number;
  memoryUsedBytes: number;
  commitTimeMs: number;
  custom: Record<string, number>;
}

/**
 * An operator's state split into `numShards` stores by the hash of the key (Spark's state
 * partitions, docs/decisions/0003): shard i lives in `state/<operatorId>/<i>/[storeName]`, each its
 * own versioned store with its own delta and snapshot files. The shard count is fixed for the life
 * of a checkpoint.
 */
export class ShardedStateStore {
  private readonly providers: StateStoreProvider[] = [];
  private stores: StateStore[] = [];

  constructor(ctx: StatefulOperatorContext, operatorId: number, storeName = 'default') {
    const factory = getStateStoreProviderFactory(ctx.providerName);
    for (let p = 0; p < ctx.numShards; p++) {
      this.providers.push(
        factory({ stateDir: ctx.stateDir, operatorId, partitionId: p, storeName }, ctx.storeConf),
      );
    }
  }

  get numShards(): number {
    return this.providers.length;
  }

  get loaded(): boolean {
    return this.stores.length > 0;
  }

  /** Loads committed `version` of every shard for updates. */
  load(version: number): void {
    this.stores = this.providers.map((p) => p.getStore(version));
  }

  private shard(key: Row): StateStore {
    const n = this.stores.length;
    return n === 1 ? this.stores[0]! : this.stores[hashKey(key) % n]!;
  }

  /**
   * Where `key` lives (its shard and its encoding), worked out once for an operator that reads and
   * writes the same key in a batch; valid as long as the key row is not changed.
   */
  locate(key: Row): KeyLocation {
    const n = this.providers.length;
    return { shard: n === 1 ? 0 : hashKey(key) % n, encoded: encodeKey(key) };
  }

  get(key: Row, at?: KeyLocation): Row | undefined {
    return at ? this.stores[at.shard]!.get(key, at.encoded) : this.shard(key).get(key);
  }

  put(key: Row, value: Row, at?: KeyLocation): void {
    if (at) this.stores[at.shard]!.put(key, value, at.encoded);
    else this.shard(key).put(key, value);
  }

  remove(key: Row): void {
    this.shard(key).remove(key);
  }

  get size(): number {
    let n = 0;
    for (const s of this.stores) n += s.size;
    return n;
  }

  /** Every (key, value) of every shard; safe against removing the current key. */
  *iterator(): IterableIterator<[Row, Row]> {
    for (const s of this.stores) yield* s.iterator();
  }

  /** Commits every shard (one new version each) and runs maintenance; returns the batch's metrics. */
  commit(): ShardedMetrics {
    const before = this.stores.map((s) => s.metrics());
    for (const s of this.stores) s.commit();
    const after = this.stores.map((s) => s.metrics());
    for (const p of this.providers) p.doMaintenance();
    this.stores = [];
    return sumMetrics(before, after);
  }

  abort(): void {
    for (const s of this.stores) s.abort();
    this.stores = [];
  }

  close(): void {
    this.abort();
    for (const p of this.providers) p.close();
  }
}

function sumMetrics(before: StateStoreMetrics[], after: StateStoreMetrics[]): ShardedMetrics {
  const out: ShardedMetrics = {
    numKeys: 0,
    numUpdated: 0,
    numRemoved: 0,
    memoryUsedBytes: 0,
    commitTimeMs: 0,
    custom: {},
  };
  before.forEach((b, i) => {
    const a = after[i]!;
    out.numKeys += a.numKeys;
    out.numUpdated += b.numUpdated;
    out.numRemoved += b.numRemoved;
    out.memoryUsedBytes += a.memoryUsedBytes;
    out.commitTimeMs += a.commitTimeMs;
    for (const [k, v] of Object.entries(a.custom)) out.custom[k] = (out.custom[k] ?? 0) + v;
  });
  return out;
}

/** FNV-1a's starting state; `hashKey(key) === key.reduce(hashMix, FNV_OFFSET) >>> 0`. */
export const FNV_OFFSET = 0x811c9dc5;

/**
 * Shard of a key: FNV-1a over the key's values (strings by char code, numbers by their decimal
 * text, -0 as 0); other values through the state key encoding. Stable across runs and platforms,
 * which is what matters: a key must find the shard it was written to.
 */
export function hashKey(key: Row): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) h = hashMix(h, key[i]);
  return h >>> 0;
}

/** Mixes one key value into an FNV-1a state (a key's values one after the other, then `>>> 0`). */
export function hashMix(state: number, v: unknown): number {
  let h = state;
  const mix = (s: string): void => {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0xff;
    h = Math.imul(h, 0x01000193);
  };
  if (v === null || v === undefined) mix('\u0000');
  else if (typeof v === 'string') mix(v);
  else if (typeof v === 'number') mix(Object.is(v, -0) ? '0' : String(v));
  else if (typeof v === 'boolean') mix(v ? 't' : 'f');
  else if (isFiniteNumbers(v)) mix(`[[${v.join(',')}]]`);
  else mix(encodeKey([v] as Row));
  return h;
}

/**
 * A struct of finite numbers (a time window): `join` prints each number as JSON does, so the text
 * mixed is `encodeKey([v])`'s without its checks (`sharded-state.test.ts` holds the two equal).
 */
function isFiniteNumbers(v: unknown): v is number[] {
  if (!Array.isArray(v) || v.length === 0) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) return false;
  return true;
}
