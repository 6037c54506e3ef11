/**
 * A checkpoint that lost files is reported, never silently reinterpreted: deleting `offsets/N` and
 * `commits/N` after the file sink wrote batch N, or a file source's `sources/0/N` entry, used to make
 * the restarted query skip or re-read input without a word.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../session/session.js';
import './index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-ck-consistency-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function setup(name: string) {
  const input = path.join(dir, name, 'in');
  const output = path.join(dir, name, 'out');
  const checkpoint = path.join(dir, name, 'ck');
  fs.mkdirSync(input, { recursive: true });
  for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(input, `f${i}.json`), `{"n":${i}}\n`);
  const start = () =>
    Session.builder()
      .appName(name)
      .create()
      .readStream.schema('n INT')
      .option('maxFilesPerTrigger', 1)
      .json(input)
      .writeStream.format('json')
      .option('path', output)
      .option('checkpointLocation', checkpoint)
      .start();
  return { checkpoint, start };
}

async function failure(start: () => { awaitTermination(): Promise<unknown> }): Promise<string> {
  try {
    await start().awaitTermination();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the query did not fail');
}

describe('checkpoint consistency at restart', () => {
  it('a sink that already wrote a batch the offsets log lost is refused (CHECKPOINT_BEHIND_SINK)', async () => {
    const { checkpoint, start } = setup('behind-sink');
    const q = start();
    await q.processAllAvailable();
    await q.stop();
    expect(fs.existsSync(path.join(checkpoint, 'offsets', '2'))).toBe(true);
    fs.rmSync(path.join(checkpoint, 'offsets', '2'));
    fs.rmSync(path.join(checkpoint, 'commits', '2'));
    const message = await failure(start);
    expect(message).toContain('[CHECKPOINT_BEHIND_SINK]');
    expect(message).toMatch(/has already written batch 2, but the offsets log .* ends at batch 1/);
  });

  it('a file source log entry missing in the middle is refused, naming the file', async () => {
    const { checkpoint, start } = setup('source-gap');
    const q = start();
    await q.processAllAvailable();
    await q.stop();
    fs.rmSync(path.join(checkpoint, 'sources', '0', '1'));
    let message: string;
    try {
      message = await failure(start);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('CHECKPOINT_FILE_MISSING');
    expect(message).toContain(path.join(checkpoint, 'sources', '0', '1'));
  });
});
