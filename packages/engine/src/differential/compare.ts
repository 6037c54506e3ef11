/**
 * Comparing two engines' answers to the same query: values normalised by the caller, doubles within a
 * relative 1e-9, rows in order for a query with a total ORDER BY, else as multisets. Shared by the
 * DuckDB differential test and the Apache Spark oracle.
 */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b) return true;
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return a === b;
}

function key(row: readonly unknown[]): string {
  return JSON.stringify(row.map((v) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v)));
}

export function resultsAgree(
  ours: readonly unknown[][],
  theirs: readonly unknown[][],
  ordered: boolean,
): boolean {
  const a = ordered ? ours : [...ours].sort((x, y) => key(x).localeCompare(key(y)));
  const b = ordered ? theirs : [...theirs].sort((x, y) => key(x).localeCompare(key(y)));
  return (
    a.length === b.length &&
    a.every((row, i) => row.length === b[i]!.length && row.every((v, j) => same(v, b[i]![j])))
  );
}

/** A generated table value as a SQL literal. */
export function sqlLiteral(v: number | string | null): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  return `'${v.replace(/'/g, "''")}'`;
}
