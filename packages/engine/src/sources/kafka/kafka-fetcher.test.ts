/**
 * The fetcher's readers (docs/decisions/0008): sources of one query share a fetcher; each reader
 * takes exactly its ranges, rows stay until every reader took them, and a reader that is behind
 * never holds back one waiting for records — against the embedded broker over TCP.
 */
import { describe, expect, it } from 'vitest';
import type { Row } from '../../types/data-type.js';
import { KafkaFetcher, type PartitionRange } from './kafka-fetcher.js';
import { produceMessages, useKafkaTestEnv } from './test-support/kafka-test-env.js';

const env = useKafkaTestEnv('kafka-fetcher');

async function collect(chunks: AsyncIterable<Row[]>): Promise<number[]> {
  const offsets: number[] = [];
  for await (const chunk of chunks) for (const row of chunk) offsets.push(row[4] as number);
  return offsets;
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

describe('kafka fetcher readers', () => {
  it('two readers get every record of their ranges from one consumer, whatever their order', async () => {
    const topic = env.uniq('readers');
    await env.createTopic(topic, 1);
    // Record batches of 3: a fetch returns a few batches (at least one), not the whole topic.
    for (let i = 0; i < 60; i += 3) {
      await produceMessages(
        env.kafka,
        topic,
        [i, i + 1, i + 2].map((n) => ({ value: `m${n}` })),
      );
    }
    // A buffer of 5 rows: the partition is paused while the reader ahead has 5 rows in hand.
    const fetcher = new KafkaFetcher({
      kafka: env.kafka,
      includeHeaders: false,
      readUncommitted: true,
      checkCrcs: true,
      maxWaitTimeInMs: 50,
      maxBytesPerPartition: 256,
      maxBytes: undefined,
      minBytes: undefined,
      maxBufferedRows: 5,
    });
    const first = fetcher.addReader();
    const second = fetcher.addReader();
    const r = (from: number, until: number): PartitionRange[] => [{ topic, partition: 0, from, until }];
    const deadline = () => Date.now() + 20_000;
    // A reader waiting ~1 s without progress reports a stall: none may happen here.
    let stalls = 0;
    const noStall = async () => {
      stalls++;
    };
    try {
      fetcher.prefetch(first, r(0, 40));
      fetcher.prefetch(second, r(0, 40));
      // The first reader reads its whole range before the second starts (a self-join's stages run
      // one after the other): the second reader's rows must neither be lost nor hold it back.
      expect(await collect(fetcher.stream(first, r(0, 40), deadline(), noStall, 7))).toEqual(range(0, 40));
      expect(await collect(fetcher.stream(second, r(0, 40), deadline(), noStall, 7))).toEqual(range(0, 40));
      // Ranges that differ per reader: each gets exactly its own.
      expect((await fetcher.fetch(second, r(40, 50), deadline(), noStall))[0]!.map((x) => x[4])).toEqual(
        range(40, 50),
      );
      expect((await fetcher.fetch(first, r(40, 60), deadline(), noStall))[0]!.map((x) => x[4])).toEqual(
        range(40, 60),
      );
      expect((await fetcher.fetch(second, r(50, 60), deadline(), noStall))[0]!.map((x) => x[4])).toEqual(
        range(50, 60),
      );
      expect(stalls).toBe(0);
      // A reader asking again for records every reader already took: the fetcher seeks back.
      expect(await collect(fetcher.stream(first, r(10, 20), deadline(), noStall, 100))).toEqual(
        range(10, 20),
      );
      await fetcher.removeReader(first);
      expect(fetcher.isClosed).toBe(false);
    } finally {
      await fetcher.removeReader(first);
      await fetcher.removeReader(second);
    }
    expect(fetcher.isClosed).toBe(true);
  });
});
