import type { Batch, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Row } from '../../types/data-type.js';

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
  /** The next offset the consumer delivers: every record in [base, position) is in `rows` (holes are control records, aborted or compacted records). */
  position: number;
  /** A seek was issued and no batch fetched at `position` arrived yet. */
  seeking: boolean;
  paused: boolean;
}

export interface FetcherConfig {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly includeHeaders: boolean;
  readonly readUncommitted: boolean;
  /** kafkajs fetch settings. */
  readonly maxWaitTimeInMs: number;
  readonly maxBytesPerPartition: number | undefined;
  readonly maxBytes: number | undefined;
  readonly minBytes: number | undefined;
  readonly sessionTimeout: number | undefined;
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

/**
 * Reads exact offset ranges of Kafka partitions with ONE long-lived kafkajs consumer per query run.
 *
 * kafkajs has no manual partition assignment, so the consumer joins a group of its own (a unique
 * id, never committed to) and subscribes to the topics the query reads; being the only member it is
 * assigned every partition. `seek` puts a partition where a range starts; `eachBatch` appends each
 * fetched batch, converted to rows in one pass, to that partition's buffer, and the partition is
 * paused while its buffer is full. A batch is accepted only when it was fetched at the buffer's
 * position, so a stale fetch after a seek or a reset by kafkajs is detected (and the partition
 * re-seeked) instead of corrupting the range. Control records and aborted records leave holes in
 * the offsets: the position moves to the batch's last offset + 1 whatever the batch held (also for
 * batches kafkajs filtered to nothing, seen through its END_BATCH_PROCESS event).
 *
 * Sources of one query that read the same records (a self-join reads its topic twice) share one
 * fetcher, each as a reader (docs/decisions/0008): a record is fetched and converted once, and a
 * row leaves the buffer when every reader has taken it.
 */
export class KafkaFetcher {
  private consumer: Consumer | undefined;
  private consumerTopics = new Set<string>();
  private starting: Promise<void> | undefined;
  private readonly buffers = new Map<string, PartitionBuffer>();
  /** Partitions kafkajs fetched before any range asked for them: paused until one does. */
  private readonly parked = new Set<string>();
  private readonly earliest = new Map<string, number>();
  private waiters: (() => void)[] = [];
  /** Called whenever fetched rows were buffered (continuous processing wakes on them). */
  private readonly rowListeners = new Set<() => void>();
  private generation = 0;
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
      await this.ensureConsumer(new Set(needed.map((r) => r.topic)));
      for (const r of needed) {
        this.prepare(reader, r);
        const buf = this.buffers.get(key(r.topic, r.partition))!;
        buf.waitingUntil = Math.max(buf.waitingUntil, r.until);
      }
      for (;;) {
        const stalled = needed.filter((r) => !this.covered(r));
        if (stalled.length === 0) break;
        if (this.closed) throw new Error('The Kafka source was stopped');
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
    await this.ensureConsumer(new Set(needed.map((r) => r.topic)));
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
    this.ensureConsumer(new Set(needed.map((r) => r.topic))).then(
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
        cursors: new Map([[reader, r.from]]),
        waitingUntil: 0,
        seeking: false,
        paused: false,
      };
      this.buffers.set(k, buf);
      if (this.parked.delete(k)) {
        // kafkajs already fetched it once (from the earliest offset) and we paused it.
        this.seek(buf, r.from);
        this.resume(buf);
      } else if (this.earliest.get(k) !== r.from) {
        // kafkajs starts a partition without committed offsets at the earliest offset: a seek is
        // needed only elsewhere (a wrong guess is caught by the fetched-offset check in onBatch).
        this.seek(buf, r.from);
      }
    } else {
      buf.cursors.set(reader, r.from);
      // The buffer must hold the first offset any reader still needs.
      const from = Math.min(...buf.cursors.values());
      if (from < buf.base || from > buf.position) this.seek(buf, from);
    }
    if (buf.paused) this.resume(buf);
  }

  /** The earliest offsets the source last saw (where kafkajs starts a partition it has not fetched). */
  setEarliest(offsets: Iterable<[string, number, number]>): void {
    for (const [topic, partition, offset] of offsets) this.earliest.set(key(topic, partition), offset);
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
    if (buf.position < buf.waitingUntil) return false;
    return buf.position - Math.max(...buf.cursors.values()) >= this.config.maxBufferedRows;
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
    buf.seeking = true;
    this.consumer?.seek({ topic: buf.topic, partition: buf.partition, offset: String(offset) });
  }

  private pause(buf: PartitionBuffer): void {
    buf.paused = true;
    this.consumer?.pause([{ topic: buf.topic, partitions: [buf.partition] }]);
  }

  private resume(buf: PartitionBuffer): void {
    buf.paused = false;
    this.consumer?.resume([{ topic: buf.topic, partitions: [buf.partition] }]);
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

  /** Starts (or restarts, when new topics are needed) the consumer; seeks every buffer again. */
  private async ensureConsumer(topics: Set<string>): Promise<void> {
    if (this.starting) await this.starting;
    let missing = false;
    for (const t of topics) if (!this.consumerTopics.has(t)) missing = true;
    if (this.consumer && !missing) return;
    this.starting = this.startConsumer(new Set([...this.consumerTopics, ...topics]));
    try {
      await this.starting;
    } finally {
      this.starting = undefined;
    }
  }

  private async startConsumer(topics: Set<string>): Promise<void> {
    if (this.consumer) {
      const old = this.consumer;
      this.consumer = undefined;
      await old.disconnect();
    }
    const c = this.config;
    const generation = ++this.generation;
    const consumer = c.kafka.consumer({
      groupId: `${c.groupId}-${generation}`,
      readUncommitted: c.readUncommitted,
      maxWaitTimeInMs: c.maxWaitTimeInMs,
      ...(c.maxBytesPerPartition !== undefined ? { maxBytesPerPartition: c.maxBytesPerPartition } : {}),
      ...(c.maxBytes !== undefined ? { maxBytes: c.maxBytes } : {}),
      ...(c.minBytes !== undefined ? { minBytes: c.minBytes } : {}),
      ...(c.sessionTimeout !== undefined ? { sessionTimeout: c.sessionTimeout } : {}),
      allowAutoTopicCreation: false,
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
      if (generation !== this.generation) return;
      const p = e.payload as {
        topic: string;
        partition: number;
        batchSize: number;
        firstOffset: string | null;
        lastOffset: string;
      };
      if (p.batchSize !== 0 || p.firstOffset === null) return;
      const buf = this.buffers.get(key(p.topic, p.partition));
      if (!buf || buf.seeking) return;
      if (Number(p.firstOffset) >= buf.position) {
        buf.position = Number(p.lastOffset) + 1;
        this.notify();
      }
    });
    this.consumer = consumer;
    this.consumerTopics = topics;
    this.parked.clear();
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: async (payload) => {
        if (generation === this.generation) this.onBatch(payload);
      },
    });
    for (const buf of this.buffers.values()) {
      if (topics.has(buf.topic)) this.seek(buf, buf.base);
    }
  }

  private onBatch({ batch }: EachBatchPayload): void {
    const buf = this.buffers.get(key(batch.topic, batch.partition));
    if (!buf) {
      // A partition no range asked for yet (kafkajs starts it at the earliest offset): park it.
      this.parked.add(key(batch.topic, batch.partition));
      this.consumer?.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
      return;
    }
    const fetchedOffset = Number((batch as Batch & { fetchedOffset: string }).fetchedOffset);
    if (fetchedOffset !== buf.position) {
      // Fetched before our last seek, or kafkajs reset the position (offset out of range).
      if (!buf.seeking) this.seek(buf, buf.position);
      this.notify();
      return;
    }
    buf.seeking = false;
    const rows = buf.rows;
    const topic = batch.topic;
    const partition = batch.partition;
    const messages = batch.messages;
    const headers = this.config.includeHeaders;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i] as KafkaMessage & { batchContext?: { timestampType?: number } };
      const row: Row = [
        m.key ?? null,
        m.value ?? null,
        topic,
        partition,
        Number(m.offset),
        Number(m.timestamp) * 1000,
        m.batchContext?.timestampType ?? 0,
      ];
      if (headers) row.push(headersOf(m));
      rows.push(row);
    }
    buf.position = Number(batch.lastOffset()) + 1;
    if (!buf.paused && this.full(buf)) this.pause(buf);
    this.notify();
    for (const l of this.rowListeners) l();
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
    this.generation++;
    this.notify();
    if (this.starting) await this.starting.catch(() => {});
    const c = this.consumer;
    this.consumer = undefined;
    this.buffers.clear();
    if (c) await c.disconnect();
  }
}

function headersOf(m: KafkaMessage): unknown[] | null {
  const h = m.headers;
  if (!h) return [];
  const out: unknown[] = [];
  for (const k of Object.keys(h)) {
    const v = h[k];
    if (Array.isArray(v)) for (const x of v) out.push([k, toBuffer(x)]);
    else out.push([k, v === undefined ? null : toBuffer(v)]);
  }
  return out;
}

function toBuffer(v: Buffer | string): Buffer {
  return typeof v === 'string' ? Buffer.from(v) : v;
}
