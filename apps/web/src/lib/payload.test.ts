import { describe, expect, it } from 'vitest';
import { hexDump, payloadPreview, renderPayload, validBase64 } from './payload';

const utf8 = (data: string) => ({ encoding: 'utf8' as const, data });
const base64 = (bytes: number[]) => ({
  encoding: 'base64' as const,
  data: btoa(String.fromCharCode(...bytes)),
});

describe('renderPayload', () => {
  it('pretty-prints JSON objects in auto mode and leaves plain text alone', () => {
    expect(renderPayload(utf8('{"a":1,"b":[true]}'), 'auto')).toEqual({
      as: 'json',
      text: '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}',
      byteLength: 18,
    });
    expect(renderPayload(utf8('hello world'), 'auto')).toEqual({
      as: 'text',
      text: 'hello world',
      byteLength: 11,
    });
    // A bare number is JSON too, but is shown as typed.
    expect(renderPayload(utf8('42'), 'auto').as).toBe('text');
    // Looks like JSON, is not: text.
    expect(renderPayload(utf8('{oops'), 'auto')).toMatchObject({ as: 'text', text: '{oops' });
  });

  it('shows binary as hex in auto mode and counts bytes, not characters', () => {
    const out = renderPayload(base64([0, 1, 0xff, 0x41]), 'auto');
    expect(out.as).toBe('hex');
    expect(out.text).toBe(`00000000  00 01 ff 41${' '.repeat(12)}  ${' '.repeat(23)}  |...A|`);
    expect(renderPayload(utf8('é'), 'text').byteLength).toBe(2);
  });

  it('says why an explicit rendering did not fit', () => {
    expect(renderPayload(utf8('not json'), 'json')).toMatchObject({
      as: 'text',
      problem: expect.stringMatching(/^not JSON/),
    });
    expect(renderPayload(base64([0xc3, 0x28]), 'text')).toMatchObject({
      as: 'hex',
      problem: 'not valid UTF-8: shown as hex',
    });
    expect(renderPayload(utf8('abc'), 'hex')).toMatchObject({
      as: 'hex',
      text: expect.stringContaining('61 62 63'),
    });
  });

  it('renders a null key or value as null', () => {
    expect(renderPayload(null, 'auto')).toEqual({ as: 'null', text: 'null', byteLength: 0 });
  });
});

describe('hexDump', () => {
  it('writes 16 bytes a line with the offset and the printable characters', () => {
    const bytes = new TextEncoder().encode('0123456789abcdefXY');
    expect(hexDump(bytes).split('\n')).toEqual([
      '00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|',
      `00000010  58 59${' '.repeat(18)}  ${' '.repeat(23)}  |XY|`,
    ]);
  });
});

describe('payloadPreview', () => {
  it('keeps text on one line, cut at the limit, and binary as leading hex with its size', () => {
    expect(payloadPreview(utf8('a\n  b'))).toBe('a b');
    expect(payloadPreview(utf8('x'.repeat(10)), 4)).toBe('xxxx…');
    expect(payloadPreview(base64([1, 2, 255]))).toBe('0x 01 02 ff (3 bytes)');
    expect(payloadPreview(null)).toBe('null');
  });
});

describe('validBase64', () => {
  it('accepts padded base64 and refuses anything else', () => {
    expect(validBase64('AAH/QQ==')).toBe(true);
    expect(validBase64('AAH/ QQ==')).toBe(true);
    expect(validBase64('AAH')).toBe(false);
    expect(validBase64('!!!!')).toBe(false);
  });
});

describe('formatMoment', () => {
  it('shows the time of day for today and the date otherwise', async () => {
    const { formatMoment } = await import('./format');
    const now = new Date(2026, 11, 5, 15, 0, 0).getTime();
    expect(formatMoment(new Date(2026, 11, 5, 9, 30, 1, 250).toISOString(), now)).toBe('09:30:01.250');
    expect(formatMoment(new Date(2020, 0, 1, 10, 0, 0).toISOString(), now)).toBe('2020-01-01 10:00:00');
  });
});
