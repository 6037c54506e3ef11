import type { KafkaMessage } from 'kafkajs';
import { encodeBytes } from './bytes.js';
import type { MessageView } from './schemas.js';

/** A kafkajs record as the API shows it (bytes as UTF-8 text or base64, headers in order). */
export function messageView(topic: string, partition: number, message: KafkaMessage): MessageView {
  const headers: MessageView['headers'] = [];
  for (const [key, raw] of Object.entries(message.headers ?? {})) {
    const values = Array.isArray(raw) ? raw : [raw];
    for (const value of values) headers.push({ key, value: encodeBytes(value) });
  }
  const millis = Number(message.timestamp);
  return {
    topic,
    partition,
    offset: Number(message.offset),
    timestamp:
      Number.isFinite(millis) && millis >= 0 ? new Date(millis).toISOString() : new Date(0).toISOString(),
    key: encodeBytes(message.key),
    value: encodeBytes(message.value),
    headers,
  };
}
