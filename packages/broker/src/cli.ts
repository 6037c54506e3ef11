/**
 * sluice-broker: runs the embedded Kafka-wire-protocol broker in the foreground.
 *   sluice-broker --port 9092 --host 127.0.0.1 --data data/broker --partitions 3 [--fsync always|interval|never]
 */
import { parseArgs } from 'node:util';
import { startBroker } from './broker.js';

const USAGE = `usage: sluice-broker [--port 9092] [--host 127.0.0.1] [--advertised-host H] [--data data/broker]
                     [--partitions 1] [--fsync always|interval|never] [--segment-bytes N]
                     [--retention-ms N] [--retention-bytes N] [--no-auto-create] [--quiet]`;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '9092' },
      host: { type: 'string', default: '127.0.0.1' },
      'advertised-host': { type: 'string' },
      data: { type: 'string', default: 'data/broker' },
      partitions: { type: 'string', default: '1' },
      fsync: { type: 'string', default: 'interval' },
      'segment-bytes': { type: 'string' },
      'retention-ms': { type: 'string' },
      'retention-bytes': { type: 'string' },
      'no-auto-create': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const fsync = values.fsync;
  if (fsync !== 'always' && fsync !== 'interval' && fsync !== 'never')
    throw new Error(`--fsync: ${fsync}\n${USAGE}`);
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const broker = await startBroker({
    port: Number(values.port),
    host: values.host,
    advertisedHost: values['advertised-host'],
    dataDir: values.data,
    defaultPartitions: Number(values.partitions),
    fsync,
    segmentBytes: num(values['segment-bytes']),
    retentionMs: num(values['retention-ms']),
    retentionBytes: num(values['retention-bytes']),
    autoCreateTopics: !values['no-auto-create'],
    log: values.quiet ? undefined : (line) => console.log(`[sluice-broker] ${line}`),
  });
  console.log(`[sluice-broker] ready on ${broker.bootstrap} (data ${values.data}, node 1)`);
  const shutdown = () => {
    broker.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`[sluice-broker] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
