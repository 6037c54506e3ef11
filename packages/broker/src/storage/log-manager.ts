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

export class LogManager {
  readonly topics = new Map<string, Topic>();
  private readonly root: string;
  private readonly trash: string;

  constructor(
    dataDir: string,
    private readonly defaults: LogConfig,
    clean: boolean,
  ) {
    this.root = path.join(dataDir, 'topics');
    this.trash = path.join(dataDir, 'deleted-topics');
    fs.mkdirSync(this.root, { recursive: true });
    // A deletion interrupted by a crash finishes now.
    fs.rmSync(this.trash, { recursive: true, force: true });
    for (const entry of fs.readdirSync(this.root)) {
      const dir = path.join(this.root, entry);
      let meta: TopicMeta;
      try {
        meta = JSON.parse(fs.readFileSync(path.join(dir, 'topic.json'), 'utf8')) as TopicMeta;
      } catch {
        continue;
      }
      const config = this.configFor(meta.configs);
      const logs = Array.from(
        { length: meta.partitions },
        (_, p) => new PartitionLog(meta.name, p, path.join(dir, String(p)), config, clean),
      );
      this.topics.set(meta.name, { meta, logs });
    }
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

  create(name: string, partitions: number, configs: Record<string, string> = {}): Topic {
    const dir = this.topicDir(name);
    fs.mkdirSync(dir, { recursive: true });
    const meta: TopicMeta = { name, id: randomUUID(), partitions, configs };
    writeJson(path.join(dir, 'topic.json'), meta);
    const config = this.configFor(configs);
    const logs = Array.from(
      { length: partitions },
      (_, p) => new PartitionLog(name, p, path.join(dir, String(p)), config, true),
    );
    const topic = { meta, logs };
    this.topics.set(name, topic);
    return topic;
  }

  addPartitions(name: string, total: number): void {
    const topic = this.topics.get(name);
    if (!topic) return;
    const config = this.configFor(topic.meta.configs);
    for (let p = topic.logs.length; p < total; p++) {
      topic.logs.push(new PartitionLog(name, p, path.join(this.topicDir(name), String(p)), config, true));
    }
    topic.meta.partitions = total;
    writeJson(path.join(this.topicDir(name), 'topic.json'), topic.meta);
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
