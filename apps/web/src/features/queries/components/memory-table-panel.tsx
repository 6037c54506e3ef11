import { Alert, Anchor, Group, Skeleton, Text } from '@mantine/core';
import { Link } from 'react-router';
import { DataGrid } from '../../../components/data-grid';
import { formatNumber } from '../../../lib/format';
import { useTableRows } from '../api/get-table-rows';
import { useTableRoom } from '../api/queries-live';

/** The live rows of a memory sink's table: appended per batch, replaced whole in complete mode. */
export function MemoryTablePanel({ table, outputMode }: { table: string; outputMode: string }) {
  useTableRoom(table);
  const rows = useTableRows(table);
  if (rows.isPending) return <Skeleton height={200} aria-label="Loading the memory table" />;
  if (rows.isError)
    return (
      <Alert color="red" title={`Could not read table ${table}`}>
        {rows.error.message}
      </Alert>
    );
  return (
    <>
      <Group gap="xs" mb={4} justify="space-between" wrap="nowrap">
        <Text size="xs" c="dimmed">
          <span className="mono">{table}</span> · {formatNumber(rows.data.rows.length)} rows ·{' '}
          {outputMode === 'complete'
            ? 'complete mode: each batch replaces the table'
            : `${outputMode} mode: rows appended per batch`}
          {rows.data.truncated ? ' · oldest rows dropped (server limit)' : ''}
        </Text>
        <Anchor
          component={Link}
          to={`/tables/${encodeURIComponent(table)}`}
          size="xs"
          style={{ flexShrink: 0 }}
        >
          Open in Tables (sort, export, SQL) →
        </Anchor>
      </Group>
      <DataGrid
        schema={rows.data.schema}
        rows={rows.data.rows}
        label={`Memory table ${table}`}
        height={300}
        newestFirst={outputMode !== 'complete'}
      />
    </>
  );
}
