import type { BytesInput, EncodedBytes } from './schemas.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Record bytes for JSON: UTF-8 text when they decode cleanly, else base64. */
export function encodeBytes(bytes: Buffer | string | null | undefined): EncodedBytes | null {
  if (bytes === null || bytes === undefined) return null;
  if (typeof bytes === 'string') return { encoding: 'utf8', data: bytes };
  try {
    return { encoding: 'utf8', data: utf8.decode(bytes) };
  } catch {
    return { encoding: 'base64', data: bytes.toString('base64') };
  }
}

/** Thrown for base64 that does not decode; the route answers 400 with `field`. */
export class BadBytesError extends Error {
  constructor(readonly field: string) {
    super(`${field} is not valid base64`);
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Request bytes → a Buffer: a string is UTF-8, `{ encoding: 'base64', data }` binary. */
export function decodeBytes(input: BytesInput | null | undefined, field: string): Buffer | null {
  if (input === null || input === undefined) return null;
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  if (input.encoding === 'utf8') return Buffer.from(input.data, 'utf8');
  if (!BASE64.test(input.data)) throw new BadBytesError(field);
  return Buffer.from(input.data, 'base64');
}
