/**
 * Test helper: a deep copy of a parse tree without `span` fields (class instances such as Decimal,
 * Interval and Uint8Array are kept as they are), so trees from different texts can be compared.
 */
export function stripSpans<T>(value: T): T {
  return strip(value) as T;
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v === null || typeof v !== 'object') return v;
  if (Object.getPrototypeOf(v) !== Object.prototype) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (k !== 'span') out[k] = strip(x);
  return out;
}
