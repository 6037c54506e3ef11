/** The seeds' option typos get an answer that names the option meant (beyond Spark's silence). */
import { describe, expect, it, vi } from 'vitest';
import { Session } from '../../session/session.js';
import '../../streaming/index.js';
import { unknownSourceOptionWarnings } from './kafka-options.js';

describe('Kafka source option typos', () => {
  it('kakfa.bootstrap.servers: the missing-servers error names the option meant', async () => {
    const s = Session.builder().create();
    expect(() =>
      s.readStream
        .format('kafka')
        .option('kakfa.bootstrap.servers', 'host1:9092')
        .option('subscribe', 'topic1')
        .load(),
    ).toThrow(
      /Option 'kafka.bootstrap.servers' must be specified for configuring Kafka consumer \(did you mean 'kafka.bootstrap.servers' instead of 'kakfa.bootstrap.servers'\?\)/,
    );
  });

  it('an unknown source option is warned about with the closest known name', async () => {
    expect(
      unknownSourceOptionWarnings({
        'kafka.bootstrap.servers': 'h:1',
        subscribe: 't',
        startingOffset: 'earliest',
        maxOffsetPerTrigger: '10',
        zzz: '1',
      }),
    ).toEqual([
      "Unknown option 'startingOffset' of the Kafka source is ignored; did you mean 'startingOffsets'?",
      "Unknown option 'maxOffsetPerTrigger' of the Kafka source is ignored; did you mean 'maxOffsetsPerTrigger'?",
      "Unknown option 'zzz' of the Kafka source is ignored.",
    ]);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      Session.builder()
        .create()
        .readStream.format('kafka')
        .option('kafka.bootstrap.servers', 'h:1')
        .option('subscribe', 't')
        .option('startingOffset', 'earliest')
        .load();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("did you mean 'startingOffsets'"));
    } finally {
      warn.mockRestore();
    }
  });

  it("subscribe with a regex-looking value ('topic.*') fails suggesting subscribePattern", async () => {
    const s = Session.builder().create();
    expect(() =>
      s.readStream
        .format('kafka')
        .option('kafka.bootstrap.servers', 'h:1')
        .option('subscribe', 'topic.*')
        .load(),
    ).toThrow(/subscribePattern/);
  });
});
