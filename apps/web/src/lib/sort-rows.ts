import type { ColumnSchema, Row } from './sluice-types';

export type SortDirection = 'asc' | 'desc';

export interface SortState {
  column: string;
  direction: SortDirection;
}

const NUMERIC_TYPE =
  /^(tinyint|smallint|int|integer|bigint|long|short|byte|float|double|real|decimal|numeric)/i;

/**
 * Orders two cell values of one column by its Spark type: numbers numerically (longs and decimals
 * beyond 2^53 arrive as strings), booleans false before true, everything else by its text (ISO
 * timestamps and dates sort chronologically that way). Nulls always go last, whatever the direction.
 */
export function compareCells(a: unknown, b: unknown, type: string): number {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) return aNull === bNull ? 0 : aNull ? 1 : -1;
  if (NUMERIC_TYPE.test(type)) {
    const x = Number(a);
    const y = Number(b);
    if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x < y ? -1 : 1;
    if (typeof a === 'string' && typeof b === 'string' && /^-?\d+$/.test(a) && /^-?\d+$/.test(b)) {
      const big = BigInt(a) - BigInt(b);
      return big === 0n ? 0 : big < 0n ? -1 : 1;
    }
    if (Number.isNaN(x) || Number.isNaN(y))
      return Number.isNaN(x) === Number.isNaN(y) ? 0 : Number.isNaN(x) ? 1 : -1;
    return 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  const x = typeof a === 'object' ? JSON.stringify(a) : String(a);
  const y = typeof b === 'object' ? JSON.stringify(b) : String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A sorted copy of `rows` (stable: equal values keep their order); the rows themselves when unsorted. */
export function sortRows(
  rows: readonly Row[],
  schema: readonly ColumnSchema[],
  sort: SortState | null,
): readonly Row[] {
  if (!sort) return rows;
  const column = schema.find((c) => c.name === sort.column);
  if (!column) return rows;
  const sign = sort.direction === 'asc' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((p, q) => {
      const a = p.row[column.name];
      const b = q.row[column.name];
      const nulls = (a === null || a === undefined) !== (b === null || b === undefined);
      // Nulls stay last in both directions; only real comparisons flip.
      const c = nulls ? compareCells(a, b, column.type) : sign * compareCells(a, b, column.type);
      return c !== 0 ? c : p.index - q.index;
    })
    .map((p) => p.row);
}

/** The next state of a header click: ascending, then descending, then unsorted. */
export function nextSort(current: SortState | null, column: string): SortState | null {
  if (!current || current.column !== column) return { column, direction: 'asc' };
  if (current.direction === 'asc') return { column, direction: 'desc' };
  return null;
}
