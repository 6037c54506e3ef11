/**
 * Producer ids and the transaction coordinator. State (next producer id, each transactional
 * id's producer id/epoch and the partitions of its open transaction) is kept in
 * `transactions.json`, rewritten on every change, so a restart can abort what was left open.
 * EndTxn writes COMMIT/ABORT control batches to every partition of the transaction and, on
 * commit, applies the offsets staged by TxnOffsetCommit.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CommittedOffset } from '../groups/offset-store.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { writeJson } from '../storage/log-manager.js';
import type { PartitionLog } from '../storage/partition-log.js';

interface Txn {
  transactionalId: string;
  producerId: number;
  epoch: number;
  timeoutMs: number;
  state: 'Empty' | 'Ongoing';
  partitions: { topic: string; partition: number }[];
  offsets: { groupId: string; topic: string; partition: number; committed: CommittedOffset }[];
  timer?: NodeJS.Timeout;
}
interface Persisted {
  nextProducerId: number;
  txns: Omit<Txn, 'timer' | 'offsets'>[];
}

export interface TxnHost {
  log(topic: string, partition: number): PartitionLog | undefined;
  commitOffsets(
    groupId: string,
    entries: { topic: string; partition: number; committed: CommittedOffset }[],
  ): void;
  partitionsChanged(parts: { topic: string; partition: number }[]): void;
}

export class TxnCoordinator {
  private nextProducerId = 1000;
  private readonly byId = new Map<string, Txn>();
  private readonly byPid = new Map<number, Txn>();
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly host: TxnHost,
  ) {
    this.file = path.join(dataDir, 'transactions.json');
    let data: Persisted | undefined;
    try {
      data = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Persisted;
    } catch {}
    if (data) {
      this.nextProducerId = data.nextProducerId;
      for (const t of data.txns) this.index({ ...t, offsets: [] });
    }
  }

  /** After a restart: abort transactions left open (their staged offsets are lost, as intended). */
  recover(allLogs: Iterable<PartitionLog>): void {
    for (const t of this.byId.values()) if (t.state === 'Ongoing') this.finish(t, false);
    for (const log of allLogs) log.abortOrphans((pid) => this.byPid.get(pid)?.state === 'Ongoing');
    this.persist();
  }

  private index(t: Txn): void {
    this.byId.set(t.transactionalId, t);
    this.byPid.set(t.producerId, t);
  }

  private persist(): void {
    const txns = [...this.byId.values()].map(({ timer: _t, offsets: _o, ...rest }) => rest);
    writeJson(this.file, { nextProducerId: this.nextProducerId, txns } satisfies Persisted);
  }

  initProducerId(
    transactionalId: string | null,
    timeoutMs: number,
  ): { errorCode: number; producerId: number; producerEpoch: number } {
    if (transactionalId === null || transactionalId === '') {
      const producerId = this.nextProducerId++;
      this.persist();
      return { errorCode: 0, producerId, producerEpoch: 0 };
    }
    let t = this.byId.get(transactionalId);
    if (t) {
      if (t.state === 'Ongoing') this.finish(t, false);
      if (t.epoch >= 32766) {
        this.byPid.delete(t.producerId);
        t.producerId = this.nextProducerId++;
        t.epoch = 0;
        this.byPid.set(t.producerId, t);
      } else {
        t.epoch++;
      }
      t.timeoutMs = timeoutMs;
    } else {
      t = {
        transactionalId,
        producerId: this.nextProducerId++,
        epoch: 0,
        timeoutMs,
        state: 'Empty',
        partitions: [],
        offsets: [],
      };
      this.index(t);
    }
    this.persist();
    return { errorCode: 0, producerId: t.producerId, producerEpoch: t.epoch };
  }

  private check(transactionalId: string, producerId: number, epoch: number): Txn | number {
    const t = this.byId.get(transactionalId);
    if (!t || t.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (epoch !== t.epoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    return t;
  }

  private begin(t: Txn): void {
    if (t.state === 'Ongoing') return;
    t.state = 'Ongoing';
    clearTimeout(t.timer);
    t.timer = setTimeout(() => {
      // Timed out: abort and fence the producer by bumping its epoch.
      if (t.state !== 'Ongoing') return;
      this.finish(t, false);
      t.epoch++;
      this.persist();
    }, t.timeoutMs);
    t.timer.unref?.();
  }

  addPartitions(
    transactionalId: string,
    producerId: number,
    epoch: number,
    parts: { topic: string; partition: number }[],
  ): number[] {
    const t = this.check(transactionalId, producerId, epoch);
    if (typeof t === 'number') return parts.map(() => t);
    const codes = parts.map((p) =>
      this.host.log(p.topic, p.partition) ? 0 : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    if (codes.some((c) => c !== 0)) return codes;
    let changed = false;
    for (const p of parts) {
      if (!t.partitions.some((x) => x.topic === p.topic && x.partition === p.partition)) {
        t.partitions.push(p);
        changed = true;
      }
    }
    this.begin(t);
    if (changed) this.persist();
    return codes;
  }

  addOffsets(transactionalId: string, producerId: number, epoch: number): number {
    const t = this.check(transactionalId, producerId, epoch);
    if (typeof t === 'number') return t;
    this.begin(t);
    return 0;
  }

  stageOffsets(
    transactionalId: string,
    producerId: number,
    epoch: number,
    groupId: string,
    entries: { topic: string; partition: number; committed: CommittedOffset }[],
  ): number {
    const t = this.check(transactionalId, producerId, epoch);
    if (typeof t === 'number') return t;
    if (t.state !== 'Ongoing') return ErrorCode.INVALID_TXN_STATE;
    for (const e of entries) t.offsets.push({ groupId, ...e });
    return 0;
  }

  endTxn(transactionalId: string, producerId: number, epoch: number, commit: boolean): number {
    const t = this.check(transactionalId, producerId, epoch);
    if (typeof t === 'number') return t;
    if (t.state !== 'Ongoing') return commit ? 0 : 0;
    this.finish(t, commit);
    this.persist();
    return 0;
  }

  /** Checks a transactional produce: right producer epoch and the partition added to the txn. */
  checkProduce(producerId: number, epoch: number, topic: string, partition: number): number {
    const t = this.byPid.get(producerId);
    if (!t) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (epoch < t.epoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    if (t.state !== 'Ongoing' || !t.partitions.some((p) => p.topic === topic && p.partition === partition)) {
      return ErrorCode.INVALID_TXN_STATE;
    }
    return 0;
  }

  private finish(t: Txn, commit: boolean): void {
    clearTimeout(t.timer);
    for (const p of t.partitions)
      this.host.log(p.topic, p.partition)?.writeMarker(t.producerId, t.epoch, commit);
    if (commit) {
      const byGroup = new Map<string, { topic: string; partition: number; committed: CommittedOffset }[]>();
      for (const o of t.offsets) {
        let list = byGroup.get(o.groupId);
        if (!list) {
          list = [];
          byGroup.set(o.groupId, list);
        }
        list.push({ topic: o.topic, partition: o.partition, committed: o.committed });
      }
      for (const [g, entries] of byGroup) this.host.commitOffsets(g, entries);
    }
    const parts = t.partitions;
    t.partitions = [];
    t.offsets = [];
    t.state = 'Empty';
    this.host.partitionsChanged(parts);
  }

  shutdown(): void {
    for (const t of this.byId.values()) clearTimeout(t.timer);
    this.persist();
  }
}
