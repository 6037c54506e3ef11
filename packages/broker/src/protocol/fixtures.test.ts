/**
 * Binary fixtures, both ways. Request bytes were captured from real clients (kafkajs, kcat /
 * librdkafka, kafka-python) by scripts/capture-fixtures.ts; response bytes are what the broker
 * answered and those clients accepted. Decoding must consume every byte and give the stored
 * object; encoding that object must give the same bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { allApis } from './apis.js';
import type { Codec } from './codec.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

const requestsDir = fileURLToPath(new URL('./requests', import.meta.url));
const folderOf = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();

function revive(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revive);
  if (v && typeof v === 'object') {
    if ('$hex' in v) return Buffer.from((v as { $hex: string }).$hex, 'hex');
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
  }
  return v;
}

function roundTrip(codec: Codec<unknown>, bytes: Buffer, expected: unknown): void {
  const r = new Reader(bytes);
  const decoded = codec.read(r);
  expect(r.remaining()).toBe(0);
  expect(decoded).toEqual(expected);
  const w = new Writer();
  codec.write(w, expected);
  expect(w.toBuffer().equals(bytes)).toBe(true);
}

const cases = allApis.flatMap((spec) => {
  const dir = path.join(requestsDir, folderOf(spec.name), 'fixtures');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /^v\d+\.json$/.test(f))
    .map((f) => ({ spec, dir, version: Number(f.slice(1, -5)) }));
});

test('fixtures exist for the versions the three client families use', () => {
  expect(cases.length).toBeGreaterThanOrEqual(80);
  const names = new Set(cases.map((c) => c.spec.name));
  for (const api of allApis) expect(names.has(api.name), api.name).toBe(true);
});

describe.each(cases)('$spec.name v$version', ({ spec, dir, version }) => {
  const fixture = JSON.parse(fs.readFileSync(path.join(dir, `v${version}.json`), 'utf8')) as {
    client: string;
    request: unknown;
    response: unknown;
  };
  const codecs = spec.versions[version]!;
  test(`request from ${fixture.client} decodes and re-encodes byte for byte`, () => {
    roundTrip(
      codecs.request,
      fs.readFileSync(path.join(dir, `v${version}_request.bin`)),
      revive(fixture.request),
    );
  });
  test('response decodes and re-encodes byte for byte', () => {
    roundTrip(
      codecs.response,
      fs.readFileSync(path.join(dir, `v${version}_response.bin`)),
      revive(fixture.response),
    );
  });
});
