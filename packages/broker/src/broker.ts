/** The broker: state shared by all connections (logs, groups, transactions) and the TCP server. */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection, type ConnectionLimits, type RequestContext } from './connection.js';
import { GroupCoordinator } from './groups/group-coordinator.js';
import { OffsetStore } from './groups/offset-store.js';
import { handlers } from './handlers/index.js';
import type { ApiSpec } from './protocol/api.js';
import { RequestMemoryPool } from './request-memory.js';
import { defaultMaxPartitions, LogManager, type Topic, validTopicName } from './storage/log-manager.js';
import type { LogConfig, PartitionLog } from './storage/partition-log.js';
import { TxnCoordinator } from './transactions/txn-coordinator.js';

export interface BrokerOptions {
  /** TCP port; 0 picks a free one. Default 9092. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** Host name put in Metadata; defaults to `host` (or 127.0.0.1 when binding every interface). */
  advertisedHost?: string;
  /** Port put in Metadata/FindCoordinator when clients reach the broker through a proxy; default the bound port. */
  advertisedPort?: number;
  dataDir: string;
  /** Partitions of auto-created topics and of CreateTopics with -1. Default 1. */
  defaultPartitions?: number;
  autoCreateTopics?: boolean;
  nodeId?: number;
  /** 'always' fsyncs before every acknowledgement; 'interval' (default) every flushIntervalMs. */
  fsync?: LogConfig['fsync'];
  flushIntervalMs?: number;
  segmentBytes?: number;
  segmentMs?: number;
  retentionMs?: number;
  retentionBytes?: number;
  /** Default max.message.bytes (largest record batch). Default 16 MiB (Kafka's is 1 MiB). */
  maxMessageBytes?: number;
  retentionCheckIntervalMs?: number;
  groupInitialRebalanceDelayMs?: number;
  /** Most partitions served in all; CreateTopics/CreatePartitions beyond it fail. Default 10,000. */
  maxPartitions?: number;
  /** Largest request (Kafka's socket.request.max.bytes). Default 100 MiB. */
  maxRequestBytes?: number;
  /** Bytes of requests being received, over all connections (queued.max.request.bytes). Default 256 MiB. */
  maxQueuedRequestBytes?: number;
  /** A connection that completes no request for this long is closed (connections.max.idle.ms). Default 10 min. */
  connectionsMaxIdleMs?: number;
  log?: (line: string) => void;
}

export interface RunningBroker {
  port: number;
  host: string;
  /** "host:port" to hand to clients. */
  bootstrap: string;
  stop(): Promise<void>;
}

type Waiter = () => void;
const CLEAN_MARKER = '.clean-shutdown';
const LOCK = '.lock';
const lockedDirs = new Set<string>();

/** One broker per data directory: a second one (same or other process) would corrupt the logs. */
function lockDataDir(dataDir: string): () => void {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, LOCK);
  if (lockedDirs.has(dir))
    throw new Error(`data directory ${dir} is already used by a broker in this process`);
  try {
    const pid = Number(fs.readFileSync(file, 'utf8'));
    if (pid > 0 && pid !== process.pid) {
      let alive = false;
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (err) {
        alive = (err as NodeJS.ErrnoException).code === 'EPERM';
      }
      if (alive) throw new Error(`data directory ${dir} is locked by running process ${pid}`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.writeFileSync(file, String(process.pid));
  lockedDirs.add(dir);
  return () => {
    lockedDirs.delete(dir);
    fs.rmSync(file, { force: true });
  };
}

export class Broker {
  readonly nodeId: number;
  readonly clusterId = 'sluice-embedded';
  readonly defaultPartitions: number;
  readonly autoCreate: boolean;
  readonly logs: LogManager;
  readonly groups: GroupCoordinator;
  readonly txns: TxnCoordinator;
  advertisedHost = '127.0.0.1';
  port = 0;
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly closeHooks = new Set<() => void>();
  closed = false;
  readonly log: (line: string) => void;

  constructor(readonly options: BrokerOptions) {
    this.nodeId = options.nodeId ?? 1;
    this.defaultPartitions = options.defaultPartitions ?? 1;
    this.autoCreate = options.autoCreateTopics ?? true;
    this.log = options.log ?? (() => {});
    fs.mkdirSync(options.dataDir, { recursive: true });
    const marker = path.join(options.dataDir, CLEAN_MARKER);
    const clean = fs.existsSync(marker);
    fs.rmSync(marker, { force: true });
    const fsync = options.fsync ?? 'interval';
    this.logs = new LogManager(
      options.dataDir,
      {
        segmentBytes: options.segmentBytes ?? 64 * 1024 * 1024,
        segmentMs: options.segmentMs ?? 7 * 24 * 3600_000,
        retentionMs: options.retentionMs ?? 7 * 24 * 3600_000,
        retentionBytes: options.retentionBytes ?? -1,
        maxMessageBytes: options.maxMessageBytes ?? 16 * 1024 * 1024,
        fsync,
      },
      clean,
      options.maxPartitions ?? defaultMaxPartitions(),
      this.log,
    );
    this.groups = new GroupCoordinator(
      new OffsetStore(options.dataDir, fsync === 'always'),
      options.groupInitialRebalanceDelayMs ?? 0,
    );
    this.txns = new TxnCoordinator(options.dataDir, {
      log: (t, p) => this.partitionLog(t, p),
      commitOffsets: (g, entries) => this.groups.offsets.commit(g, entries),
      partitionsChanged: (parts) => {
        for (const p of parts) this.notify(p.topic, p.partition);
      },
    });
    this.txns.recover(this.allLogs());
  }

  *allLogs(): Iterable<PartitionLog> {
    for (const t of this.logs.topics.values()) yield* t.logs;
  }
  topic(name: string): Topic | undefined {
    return this.logs.topics.get(name);
  }
  partitionLog(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.topics.get(topic)?.logs[partition];
  }

  /** Returns the topic, creating it with the default partition count when allowed. */
  ensureTopic(name: string, allowCreate: boolean): Topic | number {
    const t = this.topic(name);
    if (t) return t;
    if (!validTopicName(name)) return 17;
    if (!allowCreate || !this.autoCreate) return 3;
    // Past the partition cap, or when the files cannot be opened, the topic is simply not created.
    if (this.logs.partitionCount + this.defaultPartitions > this.logs.maxPartitions) {
      this.log(
        `not auto-creating topic ${name}: the broker is at its partition limit (${this.logs.maxPartitions})`,
      );
      return 3;
    }
    try {
      const created = this.logs.create(name, this.defaultPartitions);
      this.log(`auto-created topic ${name} with ${this.defaultPartitions} partition(s)`);
      return created;
    } catch (e) {
      this.log(`could not auto-create topic ${name}: ${(e as Error).message}`);
      return 3;
    }
  }

  /** Registers a fetch waiter on partitions; returns an unsubscribe function. */
  waitFor(keys: string[], wake: Waiter): () => void {
    for (const k of keys) {
      let set = this.waiters.get(k);
      if (!set) {
        set = new Set();
        this.waiters.set(k, set);
      }
      set.add(wake);
    }
    return () => {
      for (const k of keys) {
        const set = this.waiters.get(k);
        set?.delete(wake);
        if (set?.size === 0) this.waiters.delete(k);
      }
    };
  }
  notify(topic: string, partition: number): void {
    const set = this.waiters.get(`${topic}\0${partition}`);
    if (!set) return;
    for (const w of [...set]) w();
  }

  dispatch(spec: ApiSpec, ctx: RequestContext, request: unknown): unknown {
    const h = handlers.get(spec.key);
    if (!h) throw new Error(`no handler for ${spec.name}`);
    return h(this, ctx, request);
  }

  apiVersionsBody(): unknown {
    return handlers.get(18)!(this, { version: 0, clientId: '', clientHost: '' }, {});
  }

  /** Runs `fn` when the broker stops; returns a function that unregisters it. */
  onClose(fn: () => void): () => void {
    this.closeHooks.add(fn);
    return () => this.closeHooks.delete(fn);
  }

  close(): void {
    this.closed = true;
    for (const fn of [...this.closeHooks]) fn();
    this.groups.shutdown();
    this.txns.shutdown();
    this.groups.offsets.close();
    this.logs.closeAll();
    fs.writeFileSync(path.join(this.options.dataDir, CLEAN_MARKER), String(Date.now()));
  }
}

/** Starts a broker listening on TCP; resolves once it accepts connections. */
export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const unlock = lockDataDir(options.dataDir);
  let broker: Broker;
  try {
    broker = new Broker(options);
  } catch (err) {
    unlock();
    throw err;
  }
  const connections = new Set<Connection>();
  const limits: ConnectionLimits = {
    maxRequestBytes: options.maxRequestBytes ?? 100 * 1024 * 1024,
    pool: new RequestMemoryPool(options.maxQueuedRequestBytes ?? 256 * 1024 * 1024),
    maxIdleMs: options.connectionsMaxIdleMs ?? 600_000,
  };
  const server = net.createServer((socket) => {
    const conn = new Connection(
      socket,
      (spec, ctx, req) => broker.dispatch(spec, ctx, req),
      () => broker.apiVersionsBody(),
      (err) =>
        broker.log(`request failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
      limits,
    );
    connections.add(conn);
    socket.on('close', () => connections.delete(conn));
  });
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 9092, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    broker.close();
    unlock();
    throw err;
  }
  server.on('error', (err) => broker.log(`server error: ${err.message}`));
  const port = (server.address() as net.AddressInfo).port;
  broker.port = options.advertisedPort ?? port;
  broker.advertisedHost =
    options.advertisedHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
  const flush = setInterval(() => broker.logs.flushAll(), options.flushIntervalMs ?? 1000);
  const retention = setInterval(
    () => broker.logs.enforceRetention(Date.now()),
    options.retentionCheckIntervalMs ?? 60_000,
  );
  flush.unref();
  retention.unref();
  let stopped: Promise<void> | undefined;
  return {
    port,
    host: broker.advertisedHost,
    bootstrap: `${broker.advertisedHost}:${port}`,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        clearInterval(flush);
        clearInterval(retention);
        server.close(() => resolve());
        for (const c of connections) c.close();
        broker.close();
        unlock();
      });
      return stopped;
    },
  };
}
