import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rng } from '../differential/generator.js';
import { Decimal } from '../types/decimal.js';
import { Interval } from '../types/interval.js';
import { type DeltaRecord, STATE_FILE_FORMAT, StateFiles, statePackr } from './state-files.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-state-files-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function randomRecord(r: () => number, i: number): DeltaRecord {
  const value = (): unknown => {
    const x = r();
    if (x < 0.1) return null;
    if (x < 0.2) return Math.floor(r() * 1e9) - 5e8;
    if (x < 0.3) return r() * 1e6;
    if (x < 0.4) return `s${'é'.repeat(Math.floor(r() * 40))}${i}`;
    if (x < 0.5) return r() < 0.5;
    if (x < 0.6) return new Decimal(BigInt(Math.floor(r() * 1e6)), 2);
    if (x < 0.7) return new Interval(1, 2, Math.floor(r() * 1e6));
    if (x < 0.8) return new Map([[`k${i}`, [1, 'two']]]);
    if (x < 0.9) return [i, [`nested${i}`, null]];
    return new Uint8Array([i & 0xff, 7]);
  };
  const key = [value(), i];
  return r() < 0.2 ? [0, key] : [1, key, Array.from({ length: 1 + Math.floor(r() * 8) }, value)];
}

describe('delta files', () => {
  // The header of msgpack's array changes at 16 and 65,536 elements.
  it.each([0, 1, 15, 16, 1000, 65_535, 65_536])(
    'are written record by record with the bytes of packing them at once (%i records)',
    (count) => {
      const r = rng(count + 1);
      const records = Array.from({ length: count }, (_, i) => randomRecord(r, i));
      const files = new StateFiles({ stateDir: dir, operatorId: 0, partitionId: 0, storeName: 'default' });
      files.writeDelta(3, records);
      const expected = Buffer.from(statePackr.pack([STATE_FILE_FORMAT, records]));
      expect(fs.readFileSync(files.deltaPath(3)).equals(expected)).toBe(true);
      expect(files.readDelta(3)).toEqual(records);
    },
  );
});
