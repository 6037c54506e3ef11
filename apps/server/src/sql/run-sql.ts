import { type DataType, parseDataType, Session, SluiceError, simpleString } from '@sluice/engine';
import { rowFromJson, rowToJson } from '../queries/rows-json.js';
import type { SqlFailure, SqlResult, TableInput } from './protocol.js';
import { assertReadOnlyQuery } from './read-only.js';

/**
 * Runs one read-only query over the given memory tables on a fresh session (each table a temp view
 * over a copy of its rows, so nothing the query does reaches the tables): at most `limit` rows come
 * back, `truncated` says there were more.
 */
export async function runSql(sql: string, limit: number, tables: readonly TableInput[]): Promise<SqlResult> {
  assertReadOnlyQuery(sql);
  const session = Session.builder().create();
  try {
    for (const table of tables) {
      const schema = {
        kind: 'struct' as const,
        fields: table.schema.map((c) => ({
          name: c.name,
          dataType: parseDataType(c.type) as DataType,
          nullable: c.nullable,
        })),
      };
      const rows = table.rows.map((row) => rowFromJson(row, schema));
      session.createDataFrame(rows, schema).createOrReplaceTempView(table.name);
    }
    const df = session.sql(sql);
    const values = await df.limit(limit + 1).collectValues();
    const schema = df.schema;
    return {
      schema: schema.fields.map((f) => ({
        name: f.name,
        type: simpleString(f.dataType),
        nullable: f.nullable,
      })),
      rows: values.slice(0, limit).map((row) => rowToJson(row, schema)),
      truncated: values.length > limit,
    };
  } finally {
    session.stop();
  }
}

/** The API's view of whatever running the query threw (Spark's error class, position in the SQL). */
export function sqlFailureOf(error: unknown): SqlFailure {
  if (error instanceof SluiceError) {
    const failure: { -readonly [K in keyof SqlFailure]: SqlFailure[K] } = {
      message: error.message,
      errorClass: error.errorClass,
    };
    if (error.position) {
      failure.line = error.position.line;
      failure.column = error.position.column;
    }
    return failure;
  }
  if (error instanceof RangeError && /Maximum call stack size exceeded/.test(error.message)) {
    return { message: 'The query nests too deeply to run', errorClass: 'QUERY_TOO_DEEPLY_NESTED' };
  }
  return {
    message: error instanceof Error ? error.message : String(error),
    errorClass: (error as { errorClass?: string }).errorClass ?? 'INTERNAL_ERROR',
  };
}
