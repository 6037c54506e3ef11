import { AnalysisError, parseStatements, SluiceError } from '@sluice/engine';

/** Statements that change data or the catalog: refused by name even where the parser knows none of them. */
const NOT_A_QUERY =
  /^(?:\s|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*(insert|update|delete|merge|upsert|create|drop|alter|truncate|replace|grant|revoke|load|cache|uncache|refresh|msck|analyze|add|use|set|reset)\b/i;

function refuse(what: string, position = { line: 1, column: 1 }): never {
  throw new AnalysisError(
    'UNSUPPORTED_STATEMENT',
    `Only a query (SELECT, WITH, VALUES, TABLE) runs on memory tables, not ${what}.`,
    position,
  );
}

function positionOf(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * Refuses anything but exactly one query (SELECT, WITH …, VALUES, TABLE …): a write, a view
 * definition, SET, EXPLAIN or a script would change the session or not be a result set. Other
 * parse errors propagate with their line and column.
 */
export function assertReadOnlyQuery(sql: string): void {
  let statements: ReturnType<typeof parseStatements>;
  try {
    statements = parseStatements(sql);
  } catch (error) {
    const match = NOT_A_QUERY.exec(sql);
    const keyword = match?.[1];
    if (error instanceof SluiceError && match && keyword) {
      refuse(keyword.toUpperCase(), positionOf(sql, match[0].length - keyword.length));
    }
    throw error;
  }
  if (statements.length !== 1) {
    throw new AnalysisError(
      'UNSUPPORTED_STATEMENT',
      statements.length === 0
        ? 'The SQL text holds no statement: give one query.'
        : `Only one query runs at a time; the SQL text holds ${statements.length} statements.`,
    );
  }
  const statement = statements[0]!;
  if (statement.kind !== 'query') refuse(`a ${statement.kind} statement`);
}
