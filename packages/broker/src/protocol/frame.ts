/** Request and response headers (v1/v2 request header, v0/v1 response header). */
import type { ApiSpec } from './api.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

export function readRequestHeader(r: Reader): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = r.nullableString();
  return { apiKey, apiVersion, correlationId, clientId };
}

export function isFlexible(spec: ApiSpec, version: number): boolean {
  return spec.flexibleFrom !== undefined && version >= spec.flexibleFrom;
}

/** Response header: correlation id, plus tags on flexible versions except ApiVersions (always v0). */
export function writeResponseHeader(
  w: Writer,
  spec: ApiSpec | undefined,
  version: number,
  correlationId: number,
): void {
  w.int32(correlationId);
  if (spec && spec.key !== 18 && isFlexible(spec, version)) w.taggedFields();
}
