/**
 * Child process of the file-sink exactly-once test: json files in `<work>/in` (one per batch) →
 * projection → json file sink `<work>/out`, checkpoint `<work>/checkpoint`, Trigger.AvailableNow.
 * Prints `started` once the query runs and `done` when everything was processed.
 */
import * as path from 'node:path';
import type { DataFrame } from '../../dataframe/dataframe.js';
import { col } from '../../dataframe/functions.js';
import { Session } from '../../session/session.js';
import '../index.js';
import type { StreamingQuery } from '../streaming-query.js';

const work = process.argv[2]!;
const session = Session.builder().create();
const input = session.readStream
  .format('json')
  .schema('id LONG, grp STRING, payload STRING')
  .option('maxFilesPerTrigger', 1)
  .load(path.join(work, 'in')) as DataFrame;
const q = input
  .select(col('id'), col('grp'), col('payload'), col('id').multiply(2).as('twice'))
  .writeStream.format('json')
  .partitionBy('grp')
  .option('checkpointLocation', path.join(work, 'checkpoint'))
  .trigger({ availableNow: true })
  .start(path.join(work, 'out')) as StreamingQuery;
process.stdout.write('started\n');
await q.awaitTermination();
process.stdout.write('done\n');
