import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStreamSinkLog, type SinkFileStatus } from '../../sinks/file-sink-log.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-compactible-'));
  dirs.push(d);
  return d;
}
const file = (p: string, action: 'add' | 'delete' = 'add'): SinkFileStatus => ({
  path: p,
  size: 1,
  isDir: false,
  modificationTime: 0,
  blockReplication: 1,
  blockSize: 1,
  action,
});

describe('CompactibleFileStreamLog (through the file sink log)', () => {
  it('compacts every interval with deletes applied, and reads past a compaction without older entries', async () => {
    const out = tmp();
    const log = new FileStreamSinkLog(out, 3);
    expect(log.add(0, [file('a'), file('b')])).toBe(true);
    expect(log.add(1, [file('b', 'delete'), file('c')])).toBe(true);
    expect(log.add(1, [file('x')])).toBe(false); // written once
    log.add(2, [file('d')]); // (2 + 1) % 3 == 0: a compaction
    expect(fs.existsSync(path.join(out, '_spark_metadata', '2.compact'))).toBe(true);
    expect(log.get(2)!.map((f) => f.path)).toEqual(['a', 'c', 'd']);
    log.add(3, [file('e')]);
    // Entries before the compaction are not needed any more.
    fs.rmSync(path.join(out, '_spark_metadata', '0'));
    fs.rmSync(path.join(out, '_spark_metadata', '1'));
    expect(log.allFilesUpTo(3).map((f) => f.path)).toEqual(['a', 'c', 'd', 'e']);
    expect(log.latestBatchId()).toBe(3);
  });

  it('a missing entry after the last compaction is an error naming the file', async () => {
    const out = tmp();
    const log = new FileStreamSinkLog(out, 10);
    log.add(0, [file('a')]);
    log.add(1, [file('b')]);
    log.add(2, [file('c')]);
    fs.rmSync(path.join(out, '_spark_metadata', '1'));
    expect(() => log.allFilesUpTo(2)).toThrow(
      /_spark_metadata\/1 is corrupt or unreadable: the file sink log entry is missing/,
    );
    expect(() => log.assertContiguous()).toThrow(/CHECKPOINT_FILE_MISSING.*file sink log entry/);
  });
});
