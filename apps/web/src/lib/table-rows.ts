import type { Row, TableRowsEvent } from './sluice-types';

/**
 * A memory table after one `rows` event, with the server's semantics: complete mode replaces the
 * table, append mode adds the rows, update mode upserts them by the query's grouping key (a row keeps
 * its place when its key is already there).
 */
export function applyRowsEvent(existing: readonly Row[], event: TableRowsEvent): Row[] {
  if (event.mode === 'replace') return [...event.rows];
  if (event.mode !== 'upsert' || !event.key || event.key.length === 0) return [...existing, ...event.rows];
  const columns = event.key;
  const keyOf = (row: Row) => JSON.stringify(columns.map((c) => row[c] ?? null));
  const out = [...existing];
  const at = new Map(out.map((row, i) => [keyOf(row), i]));
  for (const row of event.rows) {
    const k = keyOf(row);
    const i = at.get(k);
    if (i === undefined) {
      at.set(k, out.length);
      out.push(row);
    } else out[i] = row;
  }
  return out;
}
