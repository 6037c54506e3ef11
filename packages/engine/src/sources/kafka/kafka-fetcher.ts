import type { Kafka } from 'kafkajs';
import type { Row } from '../../types/data-type.js';
import {
  type FetchTarget as ClientFetchTarget,
  type FetchedPartition,
  fetchError,
  KafkaFetchClient,
  OFFSET_OUT_OF_RANGE,
} from './kafka-fetch-client.js';
import { decodeRecordSet, recordSetEnd } from './record-batch-decoder.js';

/** One assigned partition's buffer: rows of the contiguous offset range [base, position). */
interface PartitionBuffer {
  readonly topic: string;
  readonly partition: number;
  /** Buffered rows in offset order; `rows[head]` is the first not yet handed out. */
  rows: Row[];
  head: number;
  /** The first offset the buffer covers (rows before it were handed out to every reader, or skipped). */
  base: number;
  /** The next offset each reader that read this partition takes (readers share the rows). */
  readonly cursors: Map<number, number>;
  /** The end of the ranges a `fetch` waited for: the partition is not paused before it (a passed value is inert). */
  waitingUntil: number;
  /** Every record in [base, position) is in `rows` (holes are control records, aborted or compacted records). */
  position: number;
  /** The next offset to fetch: ahead of `position` while a fetched response is being decoded. */
  fetchPosition: number;
  /** Bumped by every seek: a response to a request sent before it is dropped. */
  epoch: number;
  /** Not fetched while its buffer is full. */
  paused: boolean;
  /** Not fetched before this time (after a partition error). */
  retryAt: number;
  /** A partition error no retry can mend (authorization, corrupt data): `fetch`/`stream` report it. */
  failure: Error | undefined;
}

export interface FetcherConfig {
  readonly kafka: Kafka;
  readonly includeHeaders: boolean;
  readonly readUncommitted: boolean;
  /** Kafka's `check.crcs`: verify each fetched batch's CRC-32C. */
  readonly checkCrcs: boolean;
  /** Fetch request settings (Kafka's fetch.max.wait.ms, max.partition.fetch.bytes, fetch.max.bytes, fetch.min.bytes). */
  readonly maxWaitTimeInMs: number;
  readonly maxBytesPerPartition: number | undefined;
  readonly maxBytes: number | undefined;
  readonly minBytes: number | undefined;
  /** Rows buffered ahead per partition before it is paused. */
  readonly maxBufferedRows: number;
}

/** What the caller needs of one partition: the records in [from, until). */
export interface PartitionRange {
  readonly topic: string;
  readonly partition: number;
  readonly from: number;
  readonly until: number;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** A partition a request asked for, with the buffer and epoch it was asked for. */
interface FetchTarget extends ClientFetchTarget {
  readonly buf: PartitionBuffer;
  readonly epoch: number;
}

interface InFlight {
  readonly targets: FetchTarget[];
  readonly response: Promise<FetchedPartition[]>;
}

/**
 * Reads exact offset ranges of Kafka partitions for the sources of one query run.
 *
 * The source assigns itself the partitions it reads, as Spark's does (no consumer group), and
 * fetches them with Fetch requests of its own, decoded straight into rows (docs/decisions/0009):
 * one fetch loop per leader broker asks for every partition whose buffer has room, at its
 * position, and appends the rows to the partition's buffer. `seek` moves a partition (and bumps
 * its epoch, so a response to an earlier request is dropped); a partition is paused while its
 * buffer is full. Control records and aborted records leave holes in the offsets: the position
 * moves past every complete record batch fetched, whatever it held.
 *
 * Sources of one query that read the same records (a self-join reads its topic twice) share one
 * fetcher, each as a reader (docs/decisions/0008): a record is fetched and converted once, and a
 * row leaves the buffer when every reader has taken it.
 */
export class KafkaFetcher {
  private client: KafkaFetchClient | undefined;
  private starting: Promise<void> | undefined;
  private readonly buffers = new Map<string, PartitionBuffer>();
  /** The running fetch loop of each leader broker. */
  private readonly loops = new Map<number, Promise<void>>();
  /** Fetch loops waiting for a partition to become fetchable. */
  private idleLoops: (() => void)[] = [];
  private metadataRefresh: Promise<void> | undefined;
  /** Refreshes in a row that left a partition's leader unknown. */
  private metadataRefreshes = 0;
  private waiters: (() => void)[] = [];
  /** Called whenever fetched rows were buffered (continuous processing wakes on them). */
  private readonly rowListeners = new Set<() => void>();
  private closed = false;
  private readonly readers = new Set<number>();
  private nextReader = 0;

  constructor(private readonly config: FetcherConfig) {}

  /** Partitions whose buffer is not at its range; used by the caller to check for data loss. */
  positionOf(topic: string, partition: number): number | undefined {
    return this.buffers.get(key(topic, partition))?.position;
  }

  /**
   * Waits until every range is buffered and returns the rows of [from, until) per range in order.
   * `onStall` is called about once a second while waiting (the caller checks for data loss there
   * and may throw); `deadline` is an absolute time in ms.
   */
  async fetch(
    reader: number,
    ranges: readonly PartitionRange[],
    deadline: number,
    onStall: (stalled: PartitionRange[]) => Promise<void>,
  ): Promise<Row[][]> {
    const needed = ranges.filter((r) => r.until > r.from);
    if (needed.length > 0) {
      await this.ensureClient(new Set(needed.map((r) => r.topic)));
      for (const r of needed) {
        this.prepare(reader, r);
        const buf = this.buffers.get(key(r.topic, r.partition))!;
        buf.waitingUntil = Math.max(buf.waitingUntil, r.until);
      }
      for (;;) {
        const stalled = needed.filter((r) => !this.covered(r));
        if (stalled.length === 0) break;
        if (this.closed) throw new Error('The Kafka source was stopped');
        this.throwFailure(stalled);
        if (Date.now() > deadline) {
          throw new Error(
            `Timed out waiting for Kafka records of ${stalled
              .map(
                (r) =>
                  `${r.topic}-${r.partition} [${r.from}, ${r.until}) (at ${this.positionOf(r.topic, r.partition)})`,
              )
              .join(', ')}`,
          );
        }
        const before = stalled.map((r) => this.positionOf(r.topic, r.partition));
        await this.waitForProgress(1000);
        const moved = stalled.some((r, i) => this.positionOf(r.topic, r.partition) !== before[i]);
        if (!moved) {
          await onStall(stalled);
          for (const r of stalled) this.prepare(reader, r);
        }
      }
    }
    return ranges.map((r) => (r.until > r.from ? this.take(reader, r) : []));
  }

  /**
   * Like `fetch`, but yields the rows of the ranges in chunks of at most `chunk` rows as they are
   * buffered (each range in offset order), taking them out of the buffers so that a paused
   * partition resumes: memory stays bounded by the buffers whatever the size of the ranges.
   */
  async *stream(
    reader: number,
    ranges: readonly PartitionRange[],
    deadline: number,
    onStall: (stalled: PartitionRange[]) => Promise<void>,
    chunk: number,
  ): AsyncIterable<Row[]> {
    const needed = ranges.filter((r) => r.until > r.from);
    if (needed.length === 0) return;
    await this.ensureClient(new Set(needed.map((r) => r.topic)));
    for (const r of needed) this.prepare(reader, r);
    const cursor = needed.map((r) => r.from);
    for (;;) {
      let progressed = false;
      for (let i = 0; i < needed.length; i++) {
        const r = needed[i]!;
        if (cursor[i]! >= r.until) continue;
        const buf = this.buffers.get(key(r.topic, r.partition));
        if (!buf || buf.base > cursor[i]!) continue;
        const upto = Math.min(buf.position, r.until);
        if (upto <= cursor[i]!) continue;
        const rows = this.take(reader, {
          topic: r.topic,
          partition: r.partition,
          from: cursor[i]!,
          until: upto,
        });
        cursor[i] = upto;
        progressed = true;
        for (let off = 0; off < rows.length; off += chunk) {
          yield rows.length <= chunk ? rows : rows.slice(off, off + chunk);
        }
      }
      const open = needed.filter((r, i) => cursor[i]! < r.until);
      if (open.length === 0) return;
      if (progressed) continue;
      if (this.closed) throw new Error('The Kafka source was stopped');
      this.throwFailure(open);
      if (Date.now() > deadline) {
        throw new Error(
          `Timed out waiting for Kafka records of ${open
            .map(
              (r) =>
                `${r.topic}-${r.partition} [${r.from}, ${r.until}) (at ${this.positionOf(r.topic, r.partition)})`,
            )
            .join(', ')}`,
        );
      }
      const before = open.map((r) => this.positionOf(r.topic, r.partition));
      await this.waitForProgress(1000);
      const moved = open.some((r, i) => this.positionOf(r.topic, r.partition) !== before[i]);
      if (!moved) {
        const stalled = open.map((r) => ({ ...r, from: cursor[needed.indexOf(r)]! }));
        await onStall(stalled);
        for (const r of stalled) {
          const i = needed.findIndex((n) => n.topic === r.topic && n.partition === r.partition);
          const buf = this.buffers.get(key(r.topic, r.partition));
          // onStall moved the partition past records that are gone (reported as data loss): go on from there.
          if (buf && buf.base > cursor[i]!) cursor[i] = Math.min(buf.base, r.until);
          else this.prepare(reader, r);
        }
      }
    }
  }

  /**
   * Starts fetching ranges ahead of `fetch` (the consumer joins its group and fills the buffers
   * while the engine writes its offsets log). Failures are left for `fetch` to report.
   */
  prefetch(reader: number, ranges: readonly PartitionRange[]): void {
    const needed = ranges.filter((r) => r.until > r.from);
    if (needed.length === 0 || this.closed) return;
    this.ensureClient(new Set(needed.map((r) => r.topic))).then(
      () => {
        if (this.closed) return;
        for (const r of needed) {
          // Only start or move forward: a `fetch` that already ran must not be undone.
          const buf = this.buffers.get(key(r.topic, r.partition));
          if (!buf || r.from > buf.position || !buf.cursors.has(reader)) this.prepare(reader, r);
        }
      },
      () => {},
    );
  }

  /**
   * Moves the partition's buffer to a range's start if it does not hold it (nor what another reader
   * still needs); resumes it if needed.
   */
  prepare(reader: number, r: PartitionRange): void {
    const k = key(r.topic, r.partition);
    let buf = this.buffers.get(k);
    if (!buf) {
      buf = {
        topic: r.topic,
        partition: r.partition,
        rows: [],
        head: 0,
        base: r.from,
        position: r.from,
        fetchPosition: r.from,
        cursors: new Map([[reader, r.from]]),
        waitingUntil: 0,
        epoch: 0,
        paused: false,
        retryAt: 0,
        failure: undefined,
      };
      this.buffers.set(k, buf);
      this.wakeLoops();
    } else {
      buf.cursors.set(reader, r.from);
      // The buffer must hold the first offset any reader still needs.
      const from = Math.min(...buf.cursors.values());
      if (from < buf.base || from > buf.position) this.seek(buf, from);
    }
    if (buf.paused) this.resume(buf);
  }

  /** Reports a partition error no retry mends (the fetch loop stopped fetching the partition). */
  private throwFailure(ranges: readonly PartitionRange[]): void {
    for (const r of ranges) {
      const failure = this.buffers.get(key(r.topic, r.partition))?.failure;
      if (failure) throw failure;
    }
  }

  private covered(r: PartitionRange): boolean {
    const buf = this.buffers.get(key(r.topic, r.partition));
    return buf !== undefined && buf.base <= r.from && buf.position >= r.until;
  }

  /**
   * The rows of [from, until) for `reader`; the buffer keeps what follows `until` and what another
   * reader has not taken yet.
   */
  private take(reader: number, r: PartitionRange): Row[] {
    const buf = this.buffers.get(key(r.topic, r.partition));
    if (!buf) return [];
    const rows = buf.rows;
    let i = buf.head;
    while (i < rows.length && ((rows[i] as Row)[4] as number) < r.from) i++;
    let j = i;
    while (j < rows.length && ((rows[j] as Row)[4] as number) < r.until) j++;
    const out = rows.slice(i, j);
    buf.cursors.set(reader, r.until);
    // A row leaves the buffer once every reader took it.
    const released = Math.min(...buf.cursors.values());
    let head = released === r.until ? j : buf.head;
    while (head < rows.length && ((rows[head] as Row)[4] as number) < released) head++;
    buf.head = head;
    buf.base = Math.max(buf.base, released);
    if (buf.head === rows.length) {
      buf.rows = [];
      buf.head = 0;
    } else if (buf.head > 4096 && buf.head * 2 > rows.length) {
      buf.rows = rows.slice(buf.head);
      buf.head = 0;
    }
    if (buf.paused && !this.full(buf)) this.resume(buf);
    return out;
  }

  /**
   * Whether the partition has buffered enough ahead of its most advanced reader to be paused: a
   * reader that is behind (another source of the query reading the same records later in the
   * batch) never holds back one that is waiting for records, nor does a range a `fetch` waits for.
   */
  private full(buf: PartitionBuffer): boolean {
    if (buf.fetchPosition < buf.waitingUntil) return false;
    return buf.fetchPosition - Math.max(...buf.cursors.values()) >= this.config.maxBufferedRows;
  }

  /** Forces a partition back to `offset` (after a data-loss check moved a range's start). */
  reseek(topic: string, partition: number, offset: number): void {
    const buf = this.buffers.get(key(topic, partition));
    if (buf) this.seek(buf, offset);
  }

  private seek(buf: PartitionBuffer, offset: number): void {
    buf.rows = [];
    buf.head = 0;
    buf.base = offset;
    buf.position = offset;
    buf.fetchPosition = offset;
    buf.epoch++;
    buf.retryAt = 0;
    buf.failure = undefined;
    this.wakeLoops();
  }

  private pause(buf: PartitionBuffer): void {
    buf.paused = true;
  }

  private resume(buf: PartitionBuffer): void {
    buf.paused = false;
    this.wakeLoops();
  }

  /** Calls `listener` each time fetched rows are buffered; returns the unsubscribe function. */
  onRows(listener: () => void): () => void {
    this.rowListeners.add(listener);
    return () => this.rowListeners.delete(listener);
  }

  private waitForProgress(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  private notify(): void {
    const w = this.waiters;
    if (w.length === 0) return;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Connects the client (once) and adds the topics to its metadata; starts the fetch loops. */
  private async ensureClient(topics: Set<string>): Promise<void> {
    while (this.starting) await this.starting;
    if (this.closed) throw new Error('The Kafka source was stopped');
    // Every batch asks: a connected client that knows the topics has nothing to do.
    if (this.client?.knows(topics)) return;
    this.starting = (async () => {
      if (!this.client) {
        const client = new KafkaFetchClient(this.config.kafka, !this.config.readUncommitted);
        await client.connect();
        this.client = client;
      }
      await this.client.addTopics(topics);
    })();
    try {
      await this.starting;
    } finally {
      this.starting = undefined;
    }
    this.wakeLoops();
  }

  /**
   * Wakes the idle fetch loops and starts one for each leader of a fetchable partition that has
   * none; a partition whose leader is unknown refreshes the metadata first.
   */
  private wakeLoops(): void {
    const idle = this.idleLoops;
    this.idleLoops = [];
    for (const f of idle) f();
    const client = this.client;
    if (!client || this.closed) return;
    let unknownLeader = false;
    for (const buf of this.buffers.values()) {
      if (buf.paused || buf.failure) continue;
      const leader = client.leaderOf(buf.topic, buf.partition);
      if (leader === undefined) unknownLeader = true;
      else if (!this.loops.has(leader)) this.startLoop(client, leader);
    }
    if (unknownLeader) this.refreshMetadataSoon(client);
    else this.metadataRefreshes = 0;
  }

  private startLoop(client: KafkaFetchClient, nodeId: number): void {
    const loop = this.fetchLoop(client, nodeId).finally(() => {
      if (this.loops.get(nodeId) === loop) this.loops.delete(nodeId);
    });
    this.loops.set(nodeId, loop);
  }

  /**
   * Refreshes the metadata after a pause (leaders moved, partitions appeared), once at a time; the
   * pause doubles while a leader stays unknown (a deleted topic), up to MAX_RETRY_BACKOFF_MS.
   */
  private refreshMetadataSoon(client: KafkaFetchClient): void {
    if (this.metadataRefresh) return;
    const pause = Math.min(RETRY_BACKOFF_MS * 2 ** this.metadataRefreshes++, MAX_RETRY_BACKOFF_MS);
    this.metadataRefresh = (async () => {
      await sleep(pause);
      if (this.closed) return;
      await client.refreshMetadata().catch(() => {});
    })().finally(() => {
      this.metadataRefresh = undefined;
      if (!this.closed) this.wakeLoops();
    });
  }

  /**
   * Fetches the partitions broker `nodeId` leads while there are any: every partition with room in
   * its buffer, at its fetch position. The next request goes out before a response is decoded (its
   * end is read from the batch headers), so the broker prepares it while the engine decodes.
   * Ends when the broker leads none of the buffered partitions.
   */
  private async fetchLoop(client: KafkaFetchClient, nodeId: number): Promise<void> {
    const c = this.config;
    const settings = {
      maxWaitTimeInMs: c.maxWaitTimeInMs,
      minBytes: c.minBytes ?? 1,
      maxBytes: c.maxBytes ?? 52_428_800,
      maxBytesPerPartition: c.maxBytesPerPartition ?? 1_048_576,
    };
    const send = (targets: FetchTarget[]): InFlight => ({
      targets,
      response: client.fetch(nodeId, targets, settings),
    });
    let failures = 0;
    let inFlight: InFlight | undefined;
    while (!this.closed && this.client === client) {
      if (!inFlight) {
        const next = this.fetchTargets(client, nodeId);
        if (next === 'none led') return;
        if (typeof next === 'number') {
          await this.idle(next);
          continue;
        }
        inFlight = send(next);
      }
      const { targets, response } = inFlight;
      inFlight = undefined;
      let fetched: FetchedPartition[];
      try {
        fetched = await response;
        failures = 0;
      } catch {
        // The connection broke or the broker went away: refresh what we know and retry, backing off.
        if (this.closed) return;
        failures++;
        for (const t of targets) if (t.buf.epoch === t.epoch) t.buf.fetchPosition = t.buf.position;
        await client.refreshMetadata().catch(() => {});
        await sleep(Math.min(RETRY_BACKOFF_MS * 2 ** failures, MAX_RETRY_BACKOFF_MS));
        this.wakeLoops();
        continue;
      }
      const sent = new Map(targets.map((t) => [key(t.topic, t.partition), t]));
      const usable: [FetchTarget, FetchedPartition][] = [];
      let staleMetadata = false;
      for (const f of fetched) {
        const t = sent.get(key(f.topic, f.partition));
        const buf = t?.buf;
        // Dropped: a seek moved the partition while the request was out.
        if (!t || !buf || this.buffers.get(key(f.topic, f.partition)) !== buf || buf.epoch !== t.epoch)
          continue;
        if (f.errorCode !== 0) {
          buf.fetchPosition = buf.position;
          const error = fetchError(f.errorCode);
          if (f.errorCode === OFFSET_OUT_OF_RANGE || error.retriable) {
            // Out of range: the source's data-loss check decides where to go on (it sees no progress).
            buf.retryAt = Date.now() + RETRY_BACKOFF_MS;
            if (f.errorCode !== OFFSET_OUT_OF_RANGE) staleMetadata = true;
          } else {
            buf.failure = new Error(
              `Fetching Kafka partition ${f.topic}-${f.partition} failed: ${error.message}`,
            );
            this.notify();
          }
          continue;
        }
        if (f.records === null || f.records.length === 0) continue;
        buf.fetchPosition = recordSetEnd(f.records, t.fetchOffset);
        usable.push([t, f]);
      }
      if (staleMetadata) this.refreshMetadataSoon(client);
      // The next request is on its way while this response is decoded.
      const next = this.fetchTargets(client, nodeId);
      if (typeof next === 'object') inFlight = send(next);
      let buffered = false;
      for (const [t, f] of usable) {
        try {
          buffered = (await this.append(t.buf, t.epoch, t.fetchOffset, f)) || buffered;
        } catch (e) {
          t.buf.failure = e as Error;
          t.buf.fetchPosition = t.buf.position;
          this.notify();
        }
      }
      if (buffered) {
        this.notify();
        for (const l of this.rowListeners) l();
      }
    }
    // Closed: let a request still out end quietly.
    inFlight?.response.catch(() => {});
  }

  /**
   * What broker `nodeId` is asked for next: every partition it leads with room in its buffer, at
   * its fetch position; else how long until a partition's retry (Infinity: until woken), or
   * 'none led' when it leads none of the buffered partitions.
   */
  private fetchTargets(client: KafkaFetchClient, nodeId: number): FetchTarget[] | number | 'none led' {
    const now = Date.now();
    const targets: FetchTarget[] = [];
    let led = false;
    let nextRetry = Number.POSITIVE_INFINITY;
    for (const buf of this.buffers.values()) {
      if (client.leaderOf(buf.topic, buf.partition) !== nodeId) continue;
      led = true;
      if (buf.paused || buf.failure || this.full(buf)) continue;
      if (buf.retryAt > now) nextRetry = Math.min(nextRetry, buf.retryAt - now);
      else {
        targets.push({
          topic: buf.topic,
          partition: buf.partition,
          fetchOffset: buf.fetchPosition,
          buf,
          epoch: buf.epoch,
        });
      }
    }
    if (!led) return 'none led';
    return targets.length > 0 ? targets : nextRetry;
  }

  /** Decodes a fetched record set into the partition's buffer, unless a seek moved it meanwhile. */
  private async append(
    buf: PartitionBuffer,
    epoch: number,
    fetchOffset: number,
    f: FetchedPartition,
  ): Promise<boolean> {
    const rows: Row[] = [];
    const nextOffset = await decodeRecordSet(
      f.records!,
      {
        topic: buf.topic,
        partition: buf.partition,
        fetchOffset,
        includeHeaders: this.config.includeHeaders,
        abortedTransactions: this.config.readUncommitted ? null : (f.abortedTransactions ?? []),
        checkCrcs: this.config.checkCrcs,
      },
      rows,
    );
    if (buf.epoch !== epoch || buf.position !== fetchOffset || nextOffset <= fetchOffset) return false;
    if (buf.head === buf.rows.length) {
      buf.rows = rows;
      buf.head = 0;
    } else {
      for (const row of rows) buf.rows.push(row);
    }
    buf.position = nextOffset;
    if (!buf.paused && this.full(buf)) this.pause(buf);
    return true;
  }

  /** Waits until a partition may have become fetchable (or `ms` passed). */
  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(done, Math.max(ms, 1)) : undefined;
      function done() {
        if (timer) clearTimeout(timer);
        resolve();
      }
      this.idleLoops.push(done);
    });
  }

  /** A new reader of the fetched records: each source sharing the fetcher reads through its own. */
  addReader(): number {
    const reader = this.nextReader++;
    this.readers.add(reader);
    return reader;
  }

  /** Ends a reader: the records only it still needed are released; the last one closes the fetcher. */
  async removeReader(reader: number): Promise<void> {
    if (!this.readers.delete(reader)) return;
    for (const buf of this.buffers.values()) buf.cursors.delete(reader);
    if (this.readers.size === 0) await this.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.notify();
    this.wakeLoops();
    if (this.starting) await this.starting.catch(() => {});
    const client = this.client;
    this.client = undefined;
    this.buffers.clear();
    if (client) await client.disconnect();
    await Promise.allSettled([...this.loops.values()]);
  }
}

const RETRY_BACKOFF_MS = 100;
const MAX_RETRY_BACKOFF_MS = 2_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
