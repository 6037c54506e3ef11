import type { KafkaRecord } from '@sluice/engine';
import type { KafkaMessage } from 'kafkajs';
import { encodeBytes } from './bytes.js';
import type { MessageView } from './schemas.js';

/** A kafkajs record as the API shows it (bytes as UTF-8 text or base64, headers in order). */
export function messageView(topic: string, partition: number, message: KafkaMessage): MessageView {
  const headers: [string, Buffer | string | undefined][] = [];
  for (const [key, raw] of Object.entries(message.headers ?? {})) {
    for (const value of Array.isArray(raw) ? raw : [raw]) headers.push([key, value]);
  }
  return view(
    topic,
    partition,
    Number(message.offset),
    Number(message.timestamp),
    message.key,
    message.value,
    headers,
  );
}

/** A record read by the engine's `readKafkaRanges` as the API shows it. */
export function recordView(topic: string, record: KafkaRecord): MessageView {
  return view(
    topic,
    record.partition,
    record.offset,
    record.timestampMs,
    record.key,
    record.value,
    record.headers,
  );
}

function view(
  topic: string,
  partition: number,
  offset: number,
  millis: number,
  key: Buffer | null | undefined,
  value: Buffer | null | undefined,
  headers: readonly (readonly [string, Buffer | string | null | undefined])[],
): MessageView {
  return {
    topic,
    partition,
    offset,
    timestamp:
      Number.isFinite(millis) && millis >= 0 ? new Date(millis).toISOString() : new Date(0).toISOString(),
    key: encodeBytes(key),
    value: encodeBytes(value),
    headers: headers.map(([k, v]) => ({ key: k, value: encodeBytes(v) })),
  };
}
