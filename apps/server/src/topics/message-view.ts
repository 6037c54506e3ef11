import type { KafkaRecord } from '@sluice/engine';
import { encodeBytes } from './bytes.js';
import type { MessageView } from './schemas.js';

/** A Kafka record as the API shows it (bytes as UTF-8 text or base64, headers in order). */
export function recordView(topic: string, record: KafkaRecord): MessageView {
  const millis = record.timestampMs;
  return {
    topic,
    partition: record.partition,
    offset: record.offset,
    timestamp:
      Number.isFinite(millis) && millis >= 0 ? new Date(millis).toISOString() : new Date(0).toISOString(),
    key: encodeBytes(record.key),
    value: encodeBytes(record.value),
    headers: record.headers.map(([key, value]) => ({ key, value: encodeBytes(value) })),
  };
}
