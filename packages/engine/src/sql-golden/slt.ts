import type { Session } from '../session/session.js';
import type { DataType } from '../types/data-type.js';
import { formatValue } from '../types/format.js';

/**
 * sqllogictest-style golden files (DataFusion's dialect, simplified):
 *
 *     # comment
 *     statement ok | statement error <substring>
 *     <sql>
 *
 *     query <types> [rowsort]        (types: one letter per column — I integral, R real/decimal,
 *     <sql>                           T text/other, B boolean; the runner checks the count)
 *     ----
 *     <row: cells separated by single spaces; NULL for null, (empty) for '', strings as show() prints>
 *
 *     query error <substring>
 *     <sql>
 *
 * Records are separated by blank lines. `rowsort` sorts result lines before comparing.
 */
export type SltRecord =
  | { kind: 'comment'; text: string }
  | { kind: 'statement'; expectError?: string; sql: string; line: number }
  | {
      kind: 'query';
      types: string;
      rowsort: boolean;
      sql: string;
      expected: string[];
      line: number;
      expectError?: string;
    };

export function parseSlt(text: string): SltRecord[] {
  const lines = text.split('\n');
  const out: SltRecord[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (line.startsWith('#')) {
      out.push({ kind: 'comment', text: line });
      i++;
      continue;
    }
    const start = i + 1;
    const head = line.trim().split(/\s+/);
    i++;
    const body: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && lines[i] !== '----') body.push(lines[i++]!);
    if (head[0] === 'statement') {
      const expectError =
        head[1] === 'error' ? line.trim().slice('statement error'.length).trim() : undefined;
      out.push({
        kind: 'statement',
        sql: body.join('\n'),
        line: start,
        ...(expectError !== undefined ? { expectError } : {}),
      });
      continue;
    }
    if (head[0] === 'query') {
      if (head[1] === 'error') {
        out.push({
          kind: 'query',
          types: '',
          rowsort: false,
          sql: body.join('\n'),
          expected: [],
          line: start,
          expectError: line.trim().slice('query error'.length).trim(),
        });
        continue;
      }
      const expected: string[] = [];
      if (lines[i] === '----') {
        i++;
        while (i < lines.length && lines[i]!.trim() !== '') expected.push(lines[i++]!);
      }
      out.push({
        kind: 'query',
        types: head[1] ?? '',
        rowsort: head.includes('rowsort'),
        sql: body.join('\n'),
        expected,
        line: start,
      });
      continue;
    }
    throw new Error(`line ${start}: unknown record '${line}'`);
  }
  return out;
}

/** A cell as the golden files print it. */
export function sltCell(v: unknown, t: DataType): string {
  if (v === null || v === undefined) return 'NULL';
  const s = formatValue(v, t);
  return s === '' ? '(empty)' : s;
}

function typeLetter(t: DataType): string {
  switch (t.kind) {
    case 'byte':
    case 'short':
    case 'int':
    case 'long':
      return 'I';
    case 'float':
    case 'double':
    case 'decimal':
      return 'R';
    case 'boolean':
      return 'B';
    default:
      return 'T';
  }
}

export interface SltFailure {
  readonly line: number;
  readonly sql: string;
  readonly message: string;
}

/** Runs the records on the session; returns failures and the file text with actual results (update mode). */
export async function runSlt(
  records: readonly SltRecord[],
  session: Session,
): Promise<{ failures: SltFailure[]; updated: string; queries: number }> {
  const failures: SltFailure[] = [];
  const blocks: string[] = [];
  let queries = 0;
  for (const r of records) {
    if (r.kind === 'comment') {
      blocks.push(r.text);
      continue;
    }
    if (r.kind === 'statement') {
      let err: unknown;
      try {
        await session.sql(r.sql).collectValues();
      } catch (e) {
        err = e;
      }
      const msg = err instanceof Error ? err.message : '';
      if (r.expectError === undefined && err)
        failures.push({ line: r.line, sql: r.sql, message: `unexpected error: ${msg}` });
      if (r.expectError !== undefined && !err)
        failures.push({ line: r.line, sql: r.sql, message: 'expected an error' });
      if (r.expectError !== undefined && err && !msg.includes(r.expectError))
        failures.push({
          line: r.line,
          sql: r.sql,
          message: `error '${msg}' does not contain '${r.expectError}'`,
        });
      blocks.push(
        `${r.expectError !== undefined ? `statement error ${r.expectError}` : 'statement ok'}\n${r.sql}\n`,
      );
      continue;
    }
    queries++;
    if (r.expectError !== undefined) {
      let err: unknown;
      try {
        await session.sql(r.sql).collectValues();
      } catch (e) {
        err = e;
      }
      const msg = err instanceof Error ? err.message : '';
      if (!err) failures.push({ line: r.line, sql: r.sql, message: 'expected an error' });
      else if (!msg.includes(r.expectError))
        failures.push({
          line: r.line,
          sql: r.sql,
          message: `error '${msg}' does not contain '${r.expectError}'`,
        });
      blocks.push(`query error ${r.expectError}\n${r.sql}\n`);
      continue;
    }
    let actual: string[];
    let types = r.types;
    try {
      const df = session.sql(r.sql);
      const fields = df.schema.fields;
      types = fields.map((f) => typeLetter(f.dataType)).join('');
      actual = (await df.collectValues()).map((row) =>
        fields.map((f, i) => sltCell(row[i], f.dataType)).join(' '),
      );
      if (r.rowsort) actual.sort();
      if (types !== r.types)
        failures.push({ line: r.line, sql: r.sql, message: `column types ${types}, expected ${r.types}` });
    } catch (e) {
      failures.push({ line: r.line, sql: r.sql, message: `error: ${(e as Error).message}` });
      blocks.push(
        `query ${r.types}${r.rowsort ? ' rowsort' : ''}\n${r.sql}\n----\n${r.expected.join('\n')}\n`,
      );
      continue;
    }
    const expected = r.rowsort ? [...r.expected].sort() : r.expected;
    if (actual.join('\n') !== expected.join('\n'))
      failures.push({
        line: r.line,
        sql: r.sql,
        message: `result mismatch\n  expected:\n    ${expected.join('\n    ')}\n  actual:\n    ${actual.join('\n    ')}`,
      });
    blocks.push(
      `query ${types}${r.rowsort ? ' rowsort' : ''}\n${r.sql}\n----\n${actual.join('\n')}${actual.length ? '\n' : ''}`,
    );
  }
  return {
    failures,
    updated: `${blocks
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd()}\n`,
    queries,
  };
}
