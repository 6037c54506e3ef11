/**
 * Topics and their partition logs under `<dataDir>/topics/<topic>/<partition>/`, with the topic's
 * partition count and config overrides in `<dataDir>/topics/<topic>/topic.json`.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type LogConfig, PartitionLog } from './partition-log.js';

export interface TopicMeta {
  name: string;
  id: string;
  partitions: number;
  configs: Record<string, string>;
}
export interface Topic {
  meta: TopicMeta;
  logs: PartitionLog[];
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
export function validTopicName(name: string): boolean {
  return TOPIC_NAME.test(name) && name !== '.' && name !== '..';
}

/**
 * The default cap on partitions one broker serves. Open files no longer grow with partitions (log
 * files share a capped pool, index files are opened only to be written), so the cap bounds the
 * directories and the per-partition memory instead.
 */
export function defaultMaxPartitions(): number {
  return 10_000;
}

export class LogManager {
  readonly topics = new Map<string, Topic>();
  private readonly root: string;
  private readonly trash: string;

  constructor(
    dataDir: string,
    private readonly defaults: LogConfig,
    clean: boolean,
    /** Most partitions this broker serves in all (see defaultMaxPartitions). */
    readonly maxPartitions: number = defaultMaxPartitions(),
    private readonly log: (line: string) => void = () => {},
  ) {
    this.root = path.join(dataDir, 'topics');
    this.trash = path.join(dataDir, 'deleted-topics');
    fs.mkdirSync(this.root, { recursive: true });
    // A deletion interrupted by a crash finishes now.
    fs.rmSync(this.trash, { recursive: true, force: true });
    for (const entry of fs.readdirSync(this.root)) {
      const dir = path.join(this.root, entry);
      const meta = this.readMeta(entry, dir);
      if (!meta) continue;
      const config = this.configFor(meta.configs);
      const logs = Array.from(
        { length: meta.partitions },
        (_, p) => new PartitionLog(meta.name, p, path.join(dir, String(p)), config, clean),
      );
      this.topics.set(meta.name, { meta, logs });
    }
  }

  /** Partitions served now, over every topic. */
  get partitionCount(): number {
    let n = 0;
    for (const t of this.topics.values()) n += t.logs.length;
    return n;
  }

  /**
   * A topic's metadata at startup. `topic.json` is written last when a topic is created, so a
   * directory without one is a creation that never finished (removed when it holds no records);
   * an unreadable one, or one that disagrees with the partition directories on disk, is rebuilt
   * from the directories — the records are never dropped silently — and the log says so.
   */
  private readMeta(entry: string, dir: string): TopicMeta | undefined {
    if (!fs.statSync(dir).isDirectory() || !validTopicName(entry)) return undefined;
    const onDisk = fs
      .readdirSync(dir)
      .filter((f) => /^\d+$/.test(f))
      .map(Number)
      .sort((a, b) => a - b);
    const partitionsOnDisk = onDisk.length === 0 ? 0 : onDisk[onDisk.length - 1]! + 1;
    const file = path.join(dir, 'topic.json');
    let raw: string | undefined;
    try {
      raw = fs.readFileSync(file, 'utf8');
    } catch {
      raw = undefined;
    }
    if (raw === undefined) {
      const hasRecords = onDisk.some((p) =>
        fs
          .readdirSync(path.join(dir, String(p)))
          .some((f) => f.endsWith('.log') && fs.statSync(path.join(dir, String(p), f)).size > 0),
      );
      if (!hasRecords) {
        this.log(`removing ${dir}: a topic creation that never finished (no topic.json, no records)`);
        fs.rmSync(dir, { recursive: true, force: true });
        return undefined;
      }
    }
    let meta: TopicMeta | undefined;
    if (raw !== undefined) {
      try {
        const parsed = JSON.parse(raw) as Partial<TopicMeta>;
        if (
          parsed.name === entry &&
          typeof parsed.id === 'string' &&
          Number.isInteger(parsed.partitions) &&
          (parsed.partitions as number) >= 1 &&
          typeof parsed.configs === 'object' &&
          parsed.configs !== null
        ) {
          meta = parsed as TopicMeta;
        }
      } catch {
        meta = undefined;
      }
    }
    if (meta && meta.partitions >= partitionsOnDisk) return meta;
    const recovered: TopicMeta = {
      name: entry,
      id: meta?.id ?? randomUUID(),
      partitions: Math.max(partitionsOnDisk, meta?.partitions ?? 0, 1),
      configs: meta?.configs ?? {},
    };
    if (raw !== undefined && !meta) fs.writeFileSync(`${file}.corrupt-${Date.now()}`, raw);
    writeJson(file, recovered);
    this.log(
      `topic ${entry}: ${raw === undefined ? 'topic.json was missing' : meta ? `topic.json listed ${meta.partitions} partition(s), ${partitionsOnDisk} are on disk` : 'topic.json was unreadable (kept as topic.json.corrupt-*)'}; recovered ${recovered.partitions} partition(s) from the segments${meta ? '' : ', with a new topic id and no config overrides'}`,
    );
    return recovered;
  }

  configFor(overrides: Record<string, string>): LogConfig {
    const num = (k: string, d: number) => (overrides[k] !== undefined ? Number(overrides[k]) : d);
    return {
      segmentBytes: num('segment.bytes', this.defaults.segmentBytes),
      segmentMs: num('segment.ms', this.defaults.segmentMs),
      retentionMs: num('retention.ms', this.defaults.retentionMs),
      retentionBytes: num('retention.bytes', this.defaults.retentionBytes),
      maxMessageBytes: num('max.message.bytes', this.defaults.maxMessageBytes),
      fsync: this.defaults.fsync,
    };
  }

  private topicDir(name: string): string {
    return path.join(this.root, name);
  }

  /**
   * Creates a topic: partition directories first, `topic.json` last (the commit point). If a
   * partition cannot be opened (out of file descriptors, disk full), everything created is closed and
   * removed, so no half-created topic is left behind, and the error propagates.
   */
  create(name: string, partitions: number, configs: Record<string, string> = {}): Topic {
    const dir = this.topicDir(name);
    fs.mkdirSync(dir, { recursive: true });
    const meta: TopicMeta = { name, id: randomUUID(), partitions, configs };
    const config = this.configFor(configs);
    const logs: PartitionLog[] = [];
    try {
      for (let p = 0; p < partitions; p++)
        logs.push(new PartitionLog(name, p, path.join(dir, String(p)), config, true));
      writeJson(path.join(dir, 'topic.json'), meta);
    } catch (err) {
      for (const l of logs) l.close();
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    const topic = { meta, logs };
    this.topics.set(name, topic);
    return topic;
  }

  addPartitions(name: string, total: number): void {
    const topic = this.topics.get(name);
    if (!topic) return;
    const config = this.configFor(topic.meta.configs);
    const added: PartitionLog[] = [];
    try {
      for (let p = topic.logs.length; p < total; p++) {
        added.push(new PartitionLog(name, p, path.join(this.topicDir(name), String(p)), config, true));
      }
      writeJson(path.join(this.topicDir(name), 'topic.json'), { ...topic.meta, partitions: total });
    } catch (err) {
      for (const l of added) {
        l.close();
        fs.rmSync(l.dir, { recursive: true, force: true });
      }
      throw err;
    }
    topic.logs.push(...added);
    topic.meta.partitions = total;
  }

  delete(name: string): void {
    const topic = this.topics.get(name);
    if (!topic) return;
    this.topics.delete(name);
    for (const log of topic.logs) log.close();
    // Rename first (atomic), so a crash never leaves a half-deleted topic behind.
    fs.mkdirSync(this.trash, { recursive: true });
    const doomed = path.join(this.trash, `${name}.${Date.now()}`);
    fs.renameSync(this.topicDir(name), doomed);
    fs.rmSync(doomed, { recursive: true, force: true });
  }

  flushAll(): void {
    for (const t of this.topics.values()) for (const l of t.logs) l.flush();
  }
  enforceRetention(now: number): void {
    for (const t of this.topics.values()) for (const l of t.logs) l.enforceRetention(now);
  }
  closeAll(): void {
    for (const t of this.topics.values()) for (const l of t.logs) l.close();
  }
}

export function writeJson(file: string, value: unknown): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
}
