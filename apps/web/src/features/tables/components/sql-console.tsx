import {
  Alert,
  Badge,
  Button,
  Group,
  Kbd,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { DataGrid } from '../../../components/data-grid';
import { ApiError } from '../../../lib/api';
import { formatDuration, formatNumber } from '../../../lib/format';
import { downloadText, toCsv, toJson } from '../../../lib/table-export';
import { useFunctions } from '../../editor/api/list-functions';
import type { ValidationError } from '../../editor/api/validate-query';
import { firstLine, type SourceColumns, SqlEditor } from '../../editor/components/sql-editor';
import type { TableInfo } from '../api/list-tables';
import { type SqlResult, useRunSql } from '../api/run-sql';

const TIME_LIMITS = [
  { value: '5000', label: '5 s' },
  { value: '30000', label: '30 s' },
  { value: '60000', label: '1 min' },
  { value: '300000', label: '5 min' },
];
const MAX_ROWS = 10_000;

/** A failed run as the editor's diagnostics: the server's line and column become a squiggle. */
export function sqlErrorOf(error: unknown): ValidationError {
  if (error instanceof ApiError) {
    return {
      message: error.message,
      errorClass: error.body.errorClass ?? null,
      field: '/sql',
      ...(error.body.line !== undefined ? { line: error.body.line } : {}),
      ...(error.body.column !== undefined ? { column: error.body.column } : {}),
    };
  }
  return { message: error instanceof Error ? error.message : String(error), errorClass: null };
}

function ResultSummary({ result }: { result: SqlResult }) {
  return (
    <Group gap="xs" data-testid="sql-result-summary">
      <Badge variant="light" color="teal" tt="none">
        {formatNumber(result.rowCount)} {result.rowCount === 1 ? 'row' : 'rows'}
      </Badge>
      <Text size="xs" c="dimmed">
        in {formatDuration(result.elapsedMs)}
      </Text>
      {result.truncated && (
        <Badge variant="light" color="orange" tt="none">
          cut at the row limit
        </Badge>
      )}
    </Group>
  );
}

/**
 * Ad-hoc read-only Spark SQL over the memory tables (`POST /api/sql`), in the query editor's
 * CodeMirror with completion of table and column names; errors land at their line and column.
 */
export function SqlConsole({
  tables,
  sql,
  onSqlChange,
}: {
  tables: TableInfo[];
  sql: string;
  onSqlChange: (sql: string) => void;
}) {
  const functions = useFunctions();
  const run = useRunSql();
  const [limit, setLimit] = useLocalStorage<number>({ key: 'sluice.sql.limit', defaultValue: 1000 });
  const [timeoutMs, setTimeoutMs] = useLocalStorage<string>({
    key: 'sluice.sql.timeout',
    defaultValue: '30000',
  });
  const [errors, setErrors] = useState<ValidationError[]>([]);
  const [ranSql, setRanSql] = useState<string | null>(null);
  const columns = useMemo<SourceColumns>(
    () =>
      Object.fromEntries(tables.map((t) => [t.name, t.schema.map((c) => ({ name: c.name, type: c.type }))])),
    [tables],
  );

  const execute = () => {
    const text = sql.trim();
    if (!text || run.isPending) return;
    setErrors([]);
    setRanSql(text);
    run.mutate(
      { sql: text, limit: Math.min(Math.max(limit || 1, 1), MAX_ROWS), timeoutMs: Number(timeoutMs) },
      { onError: (error) => setErrors([sqlErrorOf(error)]) },
    );
  };
  const error = run.isError ? sqlErrorOf(run.error) : null;
  const result = run.isSuccess ? run.data : null;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');

  return (
    <Paper withBorder p="sm" radius="sm" component="section" aria-labelledby="sql-console-title">
      <Group justify="space-between" mb={6} wrap="wrap" gap="xs">
        <Stack gap={0}>
          <Title order={2} size="h5" id="sql-console-title">
            Ad-hoc SQL
          </Title>
          <Text size="xs" c="dimmed">
            One read-only Spark SQL query over the memory tables, each a view under its name. Runs on a copy:
            tables never change.
          </Text>
        </Stack>
        <Group gap="xs" align="flex-end" wrap="wrap">
          <NumberInput
            label="Row limit"
            value={limit}
            onChange={(v) => setLimit(typeof v === 'number' ? v : 1000)}
            min={1}
            max={MAX_ROWS}
            step={100}
            thousandSeparator=","
            w={110}
          />
          <Select
            label="Time limit"
            data={TIME_LIMITS}
            value={timeoutMs}
            onChange={(v) => setTimeoutMs(v ?? '30000')}
            allowDeselect={false}
            w={96}
          />
          <Button onClick={execute} loading={run.isPending} disabled={!sql.trim()}>
            Run
            <Kbd size="xs" ml={6} visibleFrom="sm">
              Ctrl ⏎
            </Kbd>
          </Button>
        </Group>
      </Group>
      <div className="sql-console">
        <SqlEditor
          value={sql}
          onChange={(text) => {
            onSqlChange(text);
            // A squiggle from the last run points into text that is no longer there.
            if (errors.length > 0) setErrors([]);
          }}
          errors={errors}
          columns={columns}
          functions={functions.data ?? []}
          onRun={execute}
          placeholder={
            tables[0]
              ? `SELECT * FROM ${/^[A-Za-z_][A-Za-z0-9_]*$/.test(tables[0].name) ? tables[0].name : `\`${tables[0].name}\``} LIMIT 10`
              : 'SELECT 1 AS one'
          }
        />
      </div>
      <Stack gap={6} mt="sm">
        {error && (
          <Alert color="red" title={error.errorClass ?? 'The query failed'} data-testid="sql-error" py={8}>
            <Text size="sm" style={{ wordBreak: 'break-word' }}>
              {error.line !== undefined && (
                <Text span fw={600} size="sm">
                  Line {error.line}, column {error.column ?? 1}:{' '}
                </Text>
              )}
              {/* The title already names the error class the message starts with. */}
              {firstLine(error.message).replace(/^\[[A-Z_.]+\]\s*/, '')}
            </Text>
          </Alert>
        )}
        {result && (
          <>
            <Group justify="space-between" gap="xs">
              <ResultSummary result={result} />
              <Group gap={6}>
                <Button
                  variant="default"
                  size="compact-xs"
                  onClick={() =>
                    downloadText(`sql-${stamp}.csv`, toCsv(result.schema, result.rows), 'text/csv')
                  }
                >
                  Export CSV
                </Button>
                <Button
                  variant="default"
                  size="compact-xs"
                  onClick={() =>
                    downloadText(`sql-${stamp}.json`, toJson(result.schema, result.rows), 'application/json')
                  }
                >
                  Export JSON
                </Button>
              </Group>
            </Group>
            <DataGrid
              schema={result.schema}
              rows={result.rows}
              label="SQL result"
              height={320}
              sortable
              emptyText="The query returned no rows."
            />
          </>
        )}
        {!result && !error && !run.isPending && (
          <Text size="xs" c="dimmed" data-testid="sql-hint">
            {ranSql === null
              ? 'Press Run or Ctrl/Cmd-Enter. Completion knows the tables, their columns and every engine function.'
              : ''}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
