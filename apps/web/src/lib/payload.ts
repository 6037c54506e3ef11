/** A record's key, value or header value as the server sends it (docs/server-api.md "Topics"). */
export interface EncodedBytes {
  encoding: 'utf8' | 'base64';
  data: string;
}

export type Rendering = 'auto' | 'text' | 'json' | 'hex';

export interface RenderedPayload {
  /** What was shown: `auto` resolves to json, text or hex. */
  as: 'json' | 'text' | 'hex' | 'null';
  text: string;
  /** Why the asked rendering could not be used (invalid JSON, not text). */
  problem?: string;
  byteLength: number;
}

function base64ToBytes(data: string): Uint8Array {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The raw bytes of an encoded payload. */
export function payloadBytes(payload: EncodedBytes): Uint8Array {
  return payload.encoding === 'base64' ? base64ToBytes(payload.data) : new TextEncoder().encode(payload.data);
}

/** `00000000  7b 22 61 22 3a 31 7d                             |{"a":1}|` — 16 bytes a line. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const chunk = bytes.subarray(at, at + 16);
    const hex = Array.from(chunk, (b) => b.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const ascii = Array.from(chunk, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${at.toString(16).padStart(8, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${ascii}|`);
  }
  return lines.join('\n');
}

/** Pretty JSON when the text is a JSON document; undefined with the parser's complaint otherwise. */
export function prettyJson(text: string): { json?: string; error?: string } {
  try {
    return { json: JSON.stringify(JSON.parse(text), null, 2) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/**
 * A payload rendered for reading: `auto` shows pretty JSON when the value parses as a JSON object or
 * array, text when it is UTF-8, hex otherwise. An explicit rendering that does not fit (JSON that
 * does not parse, text of binary bytes) falls back and says why.
 */
export function renderPayload(payload: EncodedBytes | null, rendering: Rendering): RenderedPayload {
  if (payload === null) return { as: 'null', text: 'null', byteLength: 0 };
  const bytes = payloadBytes(payload);
  const isText = payload.encoding === 'utf8';
  const hex = (problem?: string): RenderedPayload => ({
    as: 'hex',
    text: hexDump(bytes),
    byteLength: bytes.length,
    ...(problem ? { problem } : {}),
  });
  if (rendering === 'hex') return hex();
  if (rendering === 'text')
    return isText
      ? { as: 'text', text: payload.data, byteLength: bytes.length }
      : hex('not valid UTF-8: shown as hex');
  if (rendering === 'json') {
    if (!isText) return hex('not valid UTF-8, so not JSON: shown as hex');
    const parsed = prettyJson(payload.data);
    return parsed.json !== undefined
      ? { as: 'json', text: parsed.json, byteLength: bytes.length }
      : { as: 'text', text: payload.data, byteLength: bytes.length, problem: `not JSON: ${parsed.error}` };
  }
  if (!isText) return hex();
  // Auto: only structured JSON is reformatted; a bare number or string stays as typed.
  if (/^\s*[[{]/.test(payload.data)) {
    const parsed = prettyJson(payload.data);
    if (parsed.json !== undefined) return { as: 'json', text: parsed.json, byteLength: bytes.length };
  }
  return { as: 'text', text: payload.data, byteLength: bytes.length };
}

/** One line for a table cell: the text itself, compact JSON, or the first bytes in hex. */
export function payloadPreview(payload: EncodedBytes | null, max = 160): string {
  if (payload === null) return 'null';
  if (payload.encoding === 'utf8') {
    const oneLine = payload.data.replace(/\s+/g, ' ');
    return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
  }
  const bytes = payloadBytes(payload);
  const shown = Array.from(bytes.subarray(0, 24), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `0x ${shown}${bytes.length > 24 ? ' …' : ''} (${bytes.length} bytes)`;
}

/** Text typed into the produce form as base64, or a complaint when it is not base64. */
export function validBase64(text: string): boolean {
  const clean = text.replace(/\s+/g, '');
  return clean.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(clean);
}
