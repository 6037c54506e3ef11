/**
 * Kafka in batch queries (Spark's KafkaRelation and KafkaSourceProvider.createRelation):
 * `session.read.format('kafka')` reads the offsets between `startingOffsets` (default `earliest`)
 * and `endingOffsets` (default `latest`) — or the offsets of `startingTimestamp`/`endingTimestamp`,
 * `startingOffsetsByTimestamp`/`endingOffsetsByTimestamp` — each time an action runs, with the
 * streaming source's fetcher; `df.write.format('kafka').save()` writes with the streaming sink's
 * producer (the `topic` column or option, `key`, `value`, `partition`, `headers`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnalysisError } from '../../errors.js';
import { registerBatchFormat } from '../../io/batch-formats.js';
import { registerBatchWriter } from '../../io/writer.js';
import { KafkaSink } from '../../sinks/kafka/kafka-sink.js';
import type { Row, StructType } from '../../types/data-type.js';
import { getOption } from '../source.js';
import { KAFKA_SCHEMA, KAFKA_SCHEMA_WITH_HEADERS, parseStartingOffsets } from './kafka-options.js';
import { KafkaMicroBatchStream, kafkaStreamOptions } from './kafka-source.js';

const ENDING_TO_STARTING: Record<string, string> = {
  endingoffsets: 'startingOffsets',
  endingtimestamp: 'startingTimestamp',
  endingoffsetsbytimestamp: 'startingOffsetsByTimestamp',
};

function illegal(message: string): AnalysisError {
  return new AnalysisError('KAFKA_INVALID_OPTION', message);
}

/** Options without the ending ones (the stream source refuses them), starting at `earliest` by default. */
function startOptions(options: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) if (!(k.toLowerCase() in ENDING_TO_STARTING)) out[k] = v;
  const anyStart = ['startingOffsets', 'startingTimestamp', 'startingOffsetsByTimestamp'].some(
    (k) => getOption(options, k) !== undefined,
  );
  if (!anyStart) out.startingOffsets = 'earliest';
  return out;
}

/** The ending options renamed as starting ones, so the same resolution gives the end (default `latest`). */
function endOptions(options: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) {
    if (/^starting/i.test(k)) continue;
    const renamed = ENDING_TO_STARTING[k.toLowerCase()];
    out[renamed ?? k] = v;
  }
  if (!Object.keys(out).some((k) => /^starting/i.test(k))) out.startingOffsets = 'latest';
  return out;
}

/** Spark's validateBatchOptions, with its messages. */
export function validateKafkaBatchOptions(options: Readonly<Record<string, string>>): void {
  const start = parseStartingOffsets(startOptions(options));
  if (start.kind === 'latest') throw illegal("starting offset can't be latest for batch queries on Kafka");
  if (start.kind === 'specific') {
    for (const [t, ps] of start.offsets)
      for (const [p, o] of ps)
        if (o === -1)
          throw illegal(`startingOffsets for ${t}-${p} can't be latest for batch queries on Kafka`);
  }
  const end = parseStartingOffsets(endOptions(options));
  if (end.kind === 'earliest') throw illegal("ending offset can't be earliest for batch queries on Kafka");
  if (end.kind === 'specific') {
    for (const [t, ps] of end.offsets)
      for (const [p, o] of ps)
        if (o === -2)
          throw illegal(`ending offset for ${t}-${p} can't be earliest for batch queries on Kafka`);
  }
  for (const k of ['maxOffsetsPerTrigger', 'minOffsetsPerTrigger', 'maxTriggerDelay']) {
    if (getOption(options, k) !== undefined) console.warn(`${k} option ignored in batch queries`);
  }
}

/** The rows of one batch read: a fresh stream over the resolved start and end offsets. */
async function readKafkaBatch(options: Readonly<Record<string, string>>, schema: StructType): Promise<Row[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-kafka-batch-'));
  const from = new KafkaMicroBatchStream(
    { metadataPath: dir, options: startOptions(options), schema },
    { ...kafkaStreamOptions(startOptions(options)), pollTimeoutMs: 120_000 },
  );
  const to = new KafkaMicroBatchStream(
    { metadataPath: dir, options: endOptions(options), schema },
    kafkaStreamOptions(endOptions(options)),
  );
  try {
    const [start, end] = await Promise.all([from.resolveStartingOffsets(), to.resolveStartingOffsets()]);
    return await from.getBatch(start, end);
  } finally {
    await Promise.all([from.stop(), to.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

registerBatchFormat('kafka', ({ options }) => {
  validateKafkaBatchOptions(options);
  const includeHeaders = (getOption(options, 'includeHeaders') ?? 'false').toLowerCase() === 'true';
  const schema = includeHeaders ? KAFKA_SCHEMA_WITH_HEADERS : KAFKA_SCHEMA;
  const frozen = { ...options };
  return {
    kind: 'localRelation',
    schema,
    rows: [],
    label: `KafkaRelation [${getOption(options, 'subscribe') ?? getOption(options, 'subscribePattern') ?? getOption(options, 'assign') ?? ''}]`,
    load: () => readKafkaBatch(frozen, schema),
  };
});

registerBatchWriter('kafka', async (rows, schema, options, mode) => {
  if (mode === 'overwrite' || mode === 'ignore') {
    throw new AnalysisError(
      'KAFKA_INVALID_OPTION',
      `Save mode ${mode === 'overwrite' ? 'Overwrite' : 'Ignore'} not allowed for Kafka. Allowed save modes are Append and ErrorIfExists (default).`,
    );
  }
  const sink = new KafkaSink(options, schema);
  try {
    await sink.addBatch(0, rows as Row[]);
  } finally {
    await sink.stop();
  }
});
