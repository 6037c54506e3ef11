/**
 * Apache Kafka itself, as the reference implementation tests compare against: the
 * `org.apache.kafka:kafka_2.13` jars resolved from Maven Central by `mvn` (cached outside the repo,
 * so only the first run downloads), started as one KRaft node (broker + controller) on free ports in
 * its own temp dir. Needs Java 17+ and Maven on the PATH; fails with a clear message otherwise.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const APACHE_KAFKA_VERSION = '4.1.1';

/** Where the resolved jars are kept between runs (SLUICE_CACHE_DIR, default /var/tmp/sluice-cache). */
export function apacheKafkaLibDir(): string {
  const cache = process.env.SLUICE_CACHE_DIR ?? '/var/tmp/sluice-cache';
  return path.join(cache, `apache-kafka-${APACHE_KAFKA_VERSION}`, 'libs');
}

const POM = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>sluice.test</groupId><artifactId>apache-kafka-runtime</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${APACHE_KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-simple</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
`;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Resolves the broker's jars once (a lock directory keeps parallel test processes from running
 * Maven twice). Returns the directory holding them.
 */
export async function ensureApacheKafkaJars(): Promise<string> {
  const libs = apacheKafkaLibDir();
  const home = path.dirname(libs);
  const done = path.join(home, 'resolved');
  if (fs.existsSync(done)) return libs;
  fs.mkdirSync(home, { recursive: true });
  const lock = path.join(home, 'lock');
  for (let waited = 0; ; waited += 200) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (fs.existsSync(done)) return libs;
      // A lock older than 10 minutes belongs to a process that died mid-download.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 600_000) fs.rmSync(lock, { recursive: true, force: true });
      if (waited > 900_000) throw new Error(`timed out waiting for ${lock}`);
      await sleep(200);
    }
  }
  try {
    if (fs.existsSync(done)) return libs;
    fs.writeFileSync(path.join(home, 'pom.xml'), POM);
    const mvn = spawnSync(
      'mvn',
      ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${libs}`, '-DincludeScope=runtime'],
      { cwd: home, encoding: 'utf8' },
    );
    if (mvn.error || mvn.status !== 0) {
      throw new Error(
        `could not resolve Apache Kafka ${APACHE_KAFKA_VERSION} with Maven (needs mvn and Maven Central): ${mvn.error?.message ?? ''}${mvn.stdout}${mvn.stderr}`,
      );
    }
    fs.writeFileSync(done, `${new Date().toISOString()}\n`);
    return libs;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ApacheKafka {
  readonly bootstrap: string;
  readonly version: string;
  /** Everything the broker logged at WARN and above (and its start line), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export interface ApacheKafkaOptions {
  /** Default partitions of auto-created topics. */
  numPartitions?: number;
  /**
   * Clients must authenticate with SASL/PLAIN as one of these users (user → password): the client
   * listener becomes SASL_PLAINTEXT. The broker itself uses the first user.
   */
  saslPlainUsers?: Record<string, string>;
  /** Extra `server.properties` lines. */
  properties?: Record<string, string | number | boolean>;
}

/** Starts one KRaft node; resolves once it accepts clients. */
export async function startApacheKafka(options: ApacheKafkaOptions = {}): Promise<ApacheKafka> {
  const libs = await ensureApacheKafkaJars();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-apache-kafka-'));
  const [port, controllerPort] = [await freePort(), await freePort()];
  const users = Object.entries(options.saslPlainUsers ?? {});
  const client = users.length > 0 ? 'SASL_PLAINTEXT' : 'PLAINTEXT';
  const sasl: Record<string, string> =
    users.length > 0
      ? {
          'inter.broker.listener.name': 'SASL_PLAINTEXT',
          'sasl.enabled.mechanisms': 'PLAIN',
          'sasl.mechanism.inter.broker.protocol': 'PLAIN',
          'listener.name.sasl_plaintext.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username="${users[0]![0]}" password="${users[0]![1]}" ${users.map(([u, p]) => `user_${u}="${p}"`).join(' ')};`,
        }
      : {};
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `${client}://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `${client}://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': `${client}:${client},CONTROLLER:PLAINTEXT`,
    ...sasl,
    'log.dirs': path.join(dir, 'data'),
    'num.partitions': options.numPartitions ?? 1,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 3,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 3,
    'group.initial.rebalance.delay.ms': 0,
    'auto.create.topics.enable': true,
    ...options.properties,
  };
  const config = path.join(dir, 'server.properties');
  fs.writeFileSync(
    config,
    `${Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
  const classpath = `${libs}/*`;
  const format = spawnSync(
    'java',
    [
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      // One argument, `--cluster-id=<id>`: a base64url id may start with '-', which the tool's
      // argument parser would take for an option (a start failed that way about one time in 64).
      `--cluster-id=${randomBytes(16).toString('base64url')}`,
      '-c',
      config,
    ],
    { encoding: 'utf8' },
  );
  if (format.error || format.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `Apache Kafka storage format failed (needs Java 17+): ${format.error?.message ?? ''}${format.stderr}`,
    );
  }
  const child: ChildProcess = spawn(
    'java',
    [
      '-Xms128m',
      '-Xmx512m',
      '-XX:+UseSerialGC',
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      '-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info',
      '-cp',
      classpath,
      'kafka.Kafka',
      config,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 90_000;
  while (!/Kafka Server started/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Apache Kafka did not start:\n${output}`);
    }
    await sleep(100);
  }
  return { bootstrap: `127.0.0.1:${port}`, version: APACHE_KAFKA_VERSION, log: () => output, stop };
}
