/**
 * Fetch with long polling: answer at once when minBytes are available, otherwise wait until a
 * produce (or a transaction marker) on one of the partitions brings enough, or maxWait passes.
 * Stored batches are served as read from the segment file, without re-encoding.
 */
import type { Broker } from '../broker.js';
import { NO_RESPONSE, type RequestContext } from '../connection.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type {
  FetchPartitionResponse,
  FetchRequest,
  FetchResponse,
} from '../protocol/requests/fetch/index.js';

const EMPTY = Buffer.alloc(0);

function collect(b: Broker, req: FetchRequest): { response: FetchResponse; bytes: number } {
  const readCommitted = req.isolationLevel === 1;
  let budget = req.maxBytes > 0 ? req.maxBytes : 0x7fffffff;
  let bytes = 0;
  const responses: FetchResponse['responses'] = [];
  for (const t of req.topics) {
    const topic = b.topic(t.topic);
    const partitions: FetchPartitionResponse[] = [];
    for (const p of t.partitions) {
      const log = topic?.logs[p.partition];
      if (!log) {
        partitions.push({
          partitionIndex: p.partition,
          errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          highWatermark: -1,
          lastStableOffset: -1,
          logStartOffset: -1,
          // What Apache Kafka answers for an unknown partition (differential.apache-kafka.test.ts).
          abortedTransactions: [],
          preferredReadReplica: -1,
          records: EMPTY,
        });
        continue;
      }
      // The first non-empty partition may exceed the response budget by one batch (as Kafka);
      // once the budget is spent, later partitions only report their offsets.
      const max = Math.min(p.partitionMaxBytes, bytes === 0 ? Math.max(budget, 1) : budget);
      const r = log.read(p.fetchOffset, Math.max(0, max), readCommitted);
      const records = r.records;
      const n = records?.length ?? 0;
      bytes += n;
      budget -= n;
      // A partition with an error (an offset out of range) reports unknown offsets and no records,
      // as Apache Kafka does.
      const failed = r.errorCode !== ErrorCode.NONE;
      partitions.push({
        partitionIndex: p.partition,
        errorCode: r.errorCode,
        highWatermark: failed ? -1 : r.highWatermark,
        lastStableOffset: failed ? -1 : r.lastStableOffset,
        logStartOffset: failed ? -1 : r.logStartOffset,
        abortedTransactions: r.abortedTransactions,
        preferredReadReplica: -1,
        records: failed ? EMPTY : records,
      });
    }
    responses.push({ topic: t.topic, partitions });
  }
  return { response: { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses }, bytes };
}

export function fetch(
  b: Broker,
  _ctx: RequestContext,
  req: FetchRequest,
): FetchResponse | Promise<FetchResponse | typeof NO_RESPONSE> {
  const first = collect(b, req);
  const hasError = first.response.responses.some((t) => t.partitions.some((p) => p.errorCode !== 0));
  if (first.bytes >= Math.max(1, req.minBytes) || req.maxWaitMs <= 0 || hasError) return first.response;
  return new Promise((resolve) => {
    let done = false;
    let scheduled = false;
    const keys = req.topics.flatMap((t) => t.partitions.map((p) => `${t.topic}\0${p.partition}`));
    const settle = (value: FetchResponse | typeof NO_RESPONSE) => {
      done = true;
      clearTimeout(timer);
      unsubscribe();
      offClose();
      resolve(value);
    };
    const finish = (final: boolean) => {
      if (done) return;
      if (b.closed) return settle(NO_RESPONSE);
      const next = collect(b, req);
      if (!final && next.bytes < Math.max(1, req.minBytes)) return;
      settle(next.response);
    };
    const unsubscribe = b.waitFor(keys, () => {
      // Coalesce wake-ups from one burst of appends into one read.
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        finish(false);
      });
    });
    const timer = setTimeout(() => finish(true), req.maxWaitMs);
    const offClose = b.onClose(() => finish(true));
  });
}
