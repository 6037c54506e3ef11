/**
 * Entry of an ad-hoc SQL worker thread: runs one query at a time over the memory tables it is sent,
 * so a slow query never holds the server's event loop, and the server can terminate it at its time
 * limit. The worker stays alive between queries (the server keeps a few warm).
 */
import { parentPort } from 'node:worker_threads';
import type { FromSqlWorker, SqlRequest } from './protocol.js';
import { runSql, sqlFailureOf } from './run-sql.js';

const port = parentPort;
if (!port) throw new Error('sql/worker.ts runs only as a worker thread');
const post = (message: FromSqlWorker) => port.postMessage(message);

port.on('message', async (request: SqlRequest) => {
  post({ type: 'started', requestId: request.requestId });
  try {
    post({
      type: 'result',
      requestId: request.requestId,
      result: await runSql(request.sql, request.limit, request.tables),
    });
  } catch (error) {
    post({ type: 'error', requestId: request.requestId, error: sqlFailureOf(error) });
  }
});
post({ type: 'ready' });
