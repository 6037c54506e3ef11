import type { Row as RowValues, StructType } from '../types/data-type.js';

/**
 * A collected row (`df.collect()`): a real positional Array (`row[0]`, `row.length`, destructuring)
 * with Spark-style named access — `row.get('name')` / `row.getAs('name')`, a getter per column
 * (`row.name`, unless the name collides with an Array member), `row.asDict()` (alias `toJSON()`:
 * a plain `{column: value}` object, so `JSON.stringify(row)` gives an object), and `row.schema`.
 * Values follow the engine's runtime representation (timestamps are microseconds since epoch, …).
 */
export class Row extends Array<unknown> {
  declare readonly schema: StructType;

  /** The value of a column by name (case-insensitive fallback) or position. */
  get(nameOrIndex: string | number): unknown {
    if (typeof nameOrIndex === 'number') return this[nameOrIndex] ?? null;
    const i = this.fieldIndex(nameOrIndex);
    return this[i];
  }

  getAs<T = unknown>(nameOrIndex: string | number): T {
    return this.get(nameOrIndex) as T;
  }

  /** Position of a column; throws for an unknown name. */
  fieldIndex(name: string): number {
    const fields = this.schema.fields;
    let i = fields.findIndex((f) => f.name === name);
    if (i < 0) i = fields.findIndex((f) => f.name.toLowerCase() === name.toLowerCase());
    if (i < 0)
      throw new RangeError(`${name} does not exist. Available: ${fields.map((f) => f.name).join(', ')}`);
    return i;
  }

  isNullAt(i: number): boolean {
    return this[i] === null;
  }

  /** `{column: value}`; with `recursive`, nested structs become objects too. */
  asDict(recursive = false): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.schema.fields.forEach((f, i) => {
      const v = this[i] ?? null;
      out[f.name] = recursive ? toPlain(v, f.dataType) : v;
    });
    return out;
  }

  toJSON(): Record<string, unknown> {
    return this.asDict(true);
  }

  /** Plain positional array copy. */
  toArray(): unknown[] {
    return Array.from(this);
  }

  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

function toPlain(v: unknown, t: StructType['fields'][number]['dataType']): unknown {
  if (v === null || v === undefined) return null;
  if (t.kind === 'struct') {
    const arr = v as unknown[];
    const o: Record<string, unknown> = {};
    t.fields.forEach((f, i) => {
      o[f.name] = toPlain(arr[i] ?? null, f.dataType);
    });
    return o;
  }
  if (t.kind === 'array') return (v as unknown[]).map((x) => toPlain(x, t.elementType));
  if (t.kind === 'map') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v as Map<unknown, unknown>) o[String(k)] = toPlain(x, t.valueType);
    return o;
  }
  return v;
}

const rowClasses = new WeakMap<StructType, new () => Row>();
const RESERVED = new Set(
  Object.getOwnPropertyNames(Array.prototype).concat(Object.getOwnPropertyNames(Row.prototype), ['schema']),
);

/** A Row subclass for one schema with a getter per column name. */
function rowClass(schema: StructType): new () => Row {
  let cls = rowClasses.get(schema);
  if (cls) return cls;
  const C = class extends Row {};
  Object.defineProperty(C.prototype, 'schema', { value: schema, enumerable: false });
  schema.fields.forEach((f, i) => {
    if (RESERVED.has(f.name) || /^\d+$/.test(f.name) || Object.hasOwn(C.prototype, f.name)) return;
    Object.defineProperty(C.prototype, f.name, {
      get(this: Row) {
        return this[i];
      },
      enumerable: false,
      configurable: true,
    });
  });
  cls = C;
  rowClasses.set(schema, cls);
  return cls;
}

/** Wraps positional values as Row objects of a schema. */
export function toRows(values: readonly RowValues[], schema: StructType): Row[] {
  const C = rowClass(schema);
  const n = schema.fields.length;
  return values.map((vs) => {
    const r = new C();
    for (let i = 0; i < n; i++) r.push(vs[i] ?? null);
    return r;
  });
}
