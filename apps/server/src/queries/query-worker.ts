/**
 * Entry of a query's worker thread (docs/decisions/0001-queries-run-in-worker-threads.md): builds the
 * query from its spec, starts it, and reports progress, memory-sink rows and its end to the main
 * thread; stops at a batch boundary when asked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MemoryStream, registerSink, Session, type StreamingQuery, simpleString } from '@sluice/engine';
import {
  type BuildContext,
  buildQueryFrame,
  memoryStreamName,
  memoryTableName,
  SERVER_MEMORY_SINK,
  startQuery,
} from './build-query.js';
import { rowFromJson, rowToJson } from './rows-json.js';
import { updateKeyColumns } from './update-key.js';
import { exceptionOf, type FromWorker, type ToWorker, type WorkerInput } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('query-worker.ts runs only as a worker thread');
const input = workerData as WorkerInput;
const post = (message: FromWorker) => port.postMessage(message);

// The server's memory sink: rows cross to the main thread once per batch, which keeps the bounded
// table; the engine's own memory sink would hold a second, unbounded copy here.
const tableName = memoryTableName(input.spec);
let keyColumns: string[] | null = null;
registerSink(SERVER_MEMORY_SINK, {
  format: SERVER_MEMORY_SINK,
  supportedOutputModes: ['append', 'update', 'complete'],
  createSink(ctx) {
    post({
      type: 'table',
      table: tableName,
      outputMode: ctx.outputMode,
      keyColumns: ctx.outputMode === 'update' ? keyColumns : null,
      schema: ctx.schema.fields.map((f) => ({
        name: f.name,
        type: simpleString(f.dataType),
        nullable: f.nullable,
      })),
    });
    return {
      description: 'MemorySink',
      addBatch(batchId, rows, schema) {
        post({ type: 'rows', table: tableName, batchId, rows: rows.map((r) => rowToJson(r, schema)) });
      },
    };
  },
});

const ctx: BuildContext = { queryId: input.queryId, dataDir: input.dataDir, bootstrap: input.bootstrap };
const session = Session.builder().create();
let query: StreamingQuery | undefined;

function addRows(alias: string, rows: unknown[]): number {
  const source = input.spec.sources[alias];
  const stream =
    source?.format === 'memory' ? MemoryStream.get(memoryStreamName(input.queryId, alias)) : undefined;
  if (!stream) throw new Error(`source '${alias}' is not a memory source of this query`);
  const converted = rows.map((row) => rowFromJson(row, stream.schema));
  stream.addData(converted);
  return converted.length;
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'stop') {
    // stop() lets the batch in flight finish; awaitTermination below then reports the end.
    void query?.stop();
  } else if (message.type === 'addRows') {
    try {
      post({ type: 'rowsAdded', requestId: message.requestId, added: addRows(message.alias, message.rows) });
    } catch (error) {
      post({ type: 'rowsAdded', requestId: message.requestId, error: (error as Error).message });
    }
  }
});

try {
  const { df } = buildQueryFrame(session, input.spec, ctx);
  keyColumns = updateKeyColumns(df);
  session.streams.addListener({
    onQueryProgress: (event) => {
      post({ type: 'progress', progress: JSON.parse(JSON.stringify(event.progress)) });
    },
  });
  query = startQuery(df, input.spec, ctx);
  post({ type: 'started', runId: query.runId, startedAt: new Date().toISOString() });
  const running = query;
  running.awaitTermination().then(
    () => post({ type: 'terminated', exception: null }),
    (error: unknown) => post({ type: 'terminated', exception: exceptionOf(error) }),
  );
} catch (error) {
  post({ type: 'terminated', exception: exceptionOf(error) });
}
