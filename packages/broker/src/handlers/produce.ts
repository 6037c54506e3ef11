import type { Broker } from '../broker.js';
import { NO_RESPONSE, type RequestContext } from '../connection.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { ProduceRequest, ProduceResponse } from '../protocol/requests/produce/index.js';

export function produce(
  b: Broker,
  _ctx: RequestContext,
  req: ProduceRequest,
): ProduceResponse | typeof NO_RESPONSE {
  const responses: ProduceResponse['responses'] = [];
  for (const t of req.topicData) {
    const topic = b.topic(t.name);
    const partitionResponses: ProduceResponse['responses'][number]['partitionResponses'] = [];
    for (const p of t.partitionData) {
      const log = topic?.logs[p.index];
      const records = p.records as Buffer | null;
      let errorCode: number = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      let baseOffset = -1;
      if (log && records) {
        const txnCheck =
          req.transactionalId !== null
            ? (pid: number, epoch: number) => b.txns.checkProduce(pid, epoch, t.name, p.index)
            : undefined;
        const r = log.append(records, txnCheck);
        errorCode = r.errorCode;
        baseOffset = r.baseOffset;
        if (errorCode === 0) b.notify(t.name, p.index);
      } else if (log) {
        errorCode = ErrorCode.INVALID_RECORD;
      }
      partitionResponses.push({
        index: p.index,
        errorCode,
        baseOffset,
        logAppendTimeMs: -1,
        logStartOffset: log?.logStartOffset ?? -1,
      });
    }
    responses.push({ name: t.name, partitionResponses });
  }
  if (req.acks === 0) return NO_RESPONSE;
  return { responses, throttleTimeMs: 0 };
}
