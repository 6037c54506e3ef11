/**
 * Committed consumer-group offsets, durable across restarts: an append-only JSON-lines log
 * (`consumer-offsets.log`) replayed and compacted at startup; a torn last line is ignored.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface CommittedOffset {
  offset: number;
  metadata: string | null;
  leaderEpoch: number;
  commitTimestamp: number;
}
type Line =
  | { g: string; t: string; p: number; o: number; m: string | null; e: number; ts: number }
  | { g: string; del: true };

export class OffsetStore {
  private readonly groups = new Map<string, Map<string, Map<number, CommittedOffset>>>();
  private fd: number;
  private readonly file: string;
  private linesSinceCompaction = 0;

  constructor(
    dataDir: string,
    private readonly fsyncEach: boolean,
  ) {
    this.file = path.join(dataDir, 'consumer-offsets.log');
    let text = '';
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {}
    for (const raw of text.split('\n')) {
      if (!raw) continue;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue;
      }
      if ('del' in line) this.groups.delete(line.g);
      else
        this.put(line.g, line.t, line.p, {
          offset: line.o,
          metadata: line.m,
          leaderEpoch: line.e,
          commitTimestamp: line.ts,
        });
    }
    this.fd = -1;
    this.fd = this.compact();
  }

  /** Rewrites only the live entries (atomically, by rename) and reopens the file for appends. */
  private compact(): number {
    if (this.fd >= 0) fs.closeSync(this.fd);
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, this.serializeAll());
    fs.renameSync(tmp, this.file);
    this.linesSinceCompaction = 0;
    return fs.openSync(this.file, 'a');
  }

  private liveEntries(): number {
    let n = 0;
    for (const topics of this.groups.values()) for (const parts of topics.values()) n += parts.size;
    return n;
  }

  private serializeAll(): string {
    let out = '';
    for (const [g, topics] of this.groups)
      for (const [t, parts] of topics) for (const [p, c] of parts) out += `${lineFor(g, t, p, c)}\n`;
    return out;
  }

  private put(group: string, topic: string, partition: number, c: CommittedOffset): void {
    let topics = this.groups.get(group);
    if (!topics) {
      topics = new Map();
      this.groups.set(group, topics);
    }
    let parts = topics.get(topic);
    if (!parts) {
      parts = new Map();
      topics.set(topic, parts);
    }
    parts.set(partition, c);
  }

  commit(group: string, entries: { topic: string; partition: number; committed: CommittedOffset }[]): void {
    let out = '';
    for (const e of entries) {
      this.put(group, e.topic, e.partition, e.committed);
      out += `${lineFor(group, e.topic, e.partition, e.committed)}\n`;
    }
    if (out) {
      fs.writeSync(this.fd, out);
      if (this.fsyncEach) fs.fsyncSync(this.fd);
      this.linesSinceCompaction += entries.length;
      // Consumers commit the same partitions over and over: keep the log near its live size.
      if (this.linesSinceCompaction > 10_000 && this.linesSinceCompaction > 4 * this.liveEntries())
        this.fd = this.compact();
    }
  }

  get(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(group)?.get(topic)?.get(partition);
  }
  all(group: string): Map<string, Map<number, CommittedOffset>> {
    return this.groups.get(group) ?? new Map();
  }
  has(group: string): boolean {
    return this.groups.has(group);
  }
  groupIds(): string[] {
    return [...this.groups.keys()];
  }
  deleteGroup(group: string): void {
    this.groups.delete(group);
    fs.writeSync(this.fd, `${JSON.stringify({ g: group, del: true })}\n`);
  }
  deleteTopic(topic: string): void {
    for (const topics of this.groups.values()) topics.delete(topic);
  }
  close(): void {
    fs.closeSync(this.fd);
  }
}

function lineFor(g: string, t: string, p: number, c: CommittedOffset): string {
  return JSON.stringify({ g, t, p, o: c.offset, m: c.metadata, e: c.leaderEpoch, ts: c.commitTimestamp });
}
