import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Paper,
  Skeleton,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { DataGrid } from '../../../components/data-grid';
import { formatAge, formatNumber } from '../../../lib/format';
import { useSocketEvent } from '../../../lib/live';
import type { Row, TableRowsEvent } from '../../../lib/sluice-types';
import { downloadText, toCsv, toJson } from '../../../lib/table-export';
import { useNow } from '../../../lib/use-now';
import { useTableRows } from '../../queries/api/get-table-rows';
import { useTableRoom } from '../../queries/api/queries-live';
import { isPreviewTable, listTablesQuery, type TableInfo } from '../api/list-tables';

const MODE_HINT: Record<string, string> = {
  complete: 'complete mode: each batch replaces the table',
  append: 'append mode: each batch adds its rows',
  update: 'update mode: rows upserted by the grouping key',
};

function LastBatch({ table }: { table: string }) {
  const [last, setLast] = useState<{ batchId: number; at: string } | null>(null);
  const now = useNow();
  useSocketEvent<TableRowsEvent>('rows', (event) => {
    if (event.table === table) setLast({ batchId: event.batchId, at: new Date().toISOString() });
  });
  if (!last)
    return (
      <Text size="xs" c="dimmed">
        waiting for the next batch
      </Text>
    );
  return (
    <Text size="xs" c="dimmed" data-testid="table-last-batch">
      batch #{last.batchId} · {formatAge(last.at, now)}
    </Text>
  );
}

function RowDetail({ row, onClose }: { row: Row; onClose: () => void }) {
  const json = JSON.stringify(row, null, 2);
  return (
    <Paper withBorder p="xs" radius="sm" mt={6} aria-label="Selected row">
      <Group justify="space-between" mb={4}>
        <Text size="xs" c="dimmed">
          Selected row (every value whole)
        </Text>
        <Group gap={4}>
          <CopyButton value={json}>
            {({ copied, copy }) => (
              <Button size="compact-xs" variant="light" onClick={copy}>
                {copied ? 'Copied' : 'Copy JSON'}
              </Button>
            )}
          </CopyButton>
          <ActionIcon onClick={onClose} aria-label="Close the selected row">
            ✕
          </ActionIcon>
        </Group>
      </Group>
      <Code block style={{ maxHeight: 240, overflow: 'auto', fontSize: 11 }}>
        {json}
      </Code>
    </Paper>
  );
}

/** One memory table: what feeds it, its schema, and its rows filling live. */
export function TableView({ info, onQuery }: { info: TableInfo; onQuery: (sql: string) => void }) {
  useTableRoom(info.name);
  const rows = useTableRows(info.name);
  const [selected, setSelected] = useState<Row | null>(null);
  const preview = isPreviewTable(info.name);
  const data = rows.data;
  const schema = data && data.schema.length > 0 ? data.schema : info.schema;
  const count = data?.rows.length ?? info.rowCount;
  const truncated = data?.truncated ?? info.truncated;
  const quoted = /^[A-Za-z_][A-Za-z0-9_]*$/.test(info.name) ? info.name : `\`${info.name}\``;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const client = useQueryClient();
  // The list is polled; the open table is live: keep the list's count in step with what is shown.
  useEffect(() => {
    if (!data) return;
    client.setQueryData(listTablesQuery.queryKey, (list) =>
      list?.map((t) =>
        t.name === info.name && (t.rowCount !== data.rows.length || t.truncated !== data.truncated)
          ? { ...t, rowCount: data.rows.length, truncated: data.truncated }
          : t,
      ),
    );
  }, [client, data, info.name]);
  return (
    <Paper withBorder p="sm" radius="sm" component="section" aria-label={`Table ${info.name}`}>
      <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap" mb={6}>
        <Stack gap={2} style={{ minWidth: 0, flex: '1 1 260px' }}>
          <Group gap="xs" wrap="nowrap">
            <Title order={2} size="h4" ff="monospace" className="truncate" title={info.name}>
              {info.name}
            </Title>
            <Badge variant="light" tt="none">
              {info.outputMode}
            </Badge>
            {truncated && (
              <Tooltip label={`The server keeps the newest ${formatNumber(info.maxRows)} rows of a table`}>
                <Badge variant="light" color="orange" tt="none">
                  truncated
                </Badge>
              </Tooltip>
            )}
          </Group>
          <Group gap={6} wrap="wrap">
            <Text size="xs" data-testid="table-row-count" fw={600} className="num">
              {formatNumber(count)} {count === 1 ? 'row' : 'rows'}
            </Text>
            <Text size="xs" c="dimmed">
              · {MODE_HINT[info.outputMode] ?? info.outputMode}
              {info.key ? ` (${info.key.join(', ')})` : ''} ·
            </Text>
            {preview ? (
              <Text size="xs" c="dimmed">
                editor preview
              </Text>
            ) : (
              <Anchor component={Link} to={`/queries/${info.queryId}`} size="xs">
                query {info.name}
              </Anchor>
            )}
            <Text size="xs" c="dimmed">
              ·
            </Text>
            <LastBatch table={info.name} />
          </Group>
        </Stack>
        <Group gap={6}>
          <Button variant="light" onClick={() => onQuery(`SELECT *\nFROM ${quoted}\nLIMIT 100`)}>
            Query with SQL
          </Button>
          <Button
            variant="default"
            disabled={!data}
            onClick={() =>
              data && downloadText(`${info.name}-${stamp}.csv`, toCsv(schema, data.rows), 'text/csv')
            }
          >
            Export CSV
          </Button>
          <Button
            variant="default"
            disabled={!data}
            onClick={() =>
              data &&
              downloadText(`${info.name}-${stamp}.json`, toJson(schema, data.rows), 'application/json')
            }
          >
            Export JSON
          </Button>
        </Group>
      </Group>
      <Tabs defaultValue="rows" keepMounted={false}>
        <Tabs.List mb={6}>
          <Tabs.Tab value="rows">Rows</Tabs.Tab>
          <Tabs.Tab value="schema">Schema · {schema.length}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="rows">
          {rows.isPending ? (
            <Skeleton height={240} aria-label="Loading the rows" />
          ) : rows.isError ? (
            <Alert color="red" title={`Could not read table ${info.name}`}>
              {rows.error.message}{' '}
              <Button size="compact-xs" variant="light" onClick={() => rows.refetch()}>
                Retry
              </Button>
            </Alert>
          ) : (
            <>
              <DataGrid
                schema={schema}
                rows={rows.data.rows}
                label={`Memory table ${info.name}`}
                height={420}
                newestFirst={info.outputMode !== 'complete'}
                sortable
                onRowClick={setSelected}
                selectedRow={selected}
                emptyText="No rows yet: they appear here as the query's batches land."
              />
              <Text size="xs" c="dimmed" mt={4}>
                {info.outputMode === 'complete' ? 'In result order' : 'Newest first'}; click a header to sort,
                a row to see it whole.
              </Text>
              {selected && <RowDetail row={selected} onClose={() => setSelected(null)} />}
            </>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="schema">
          <Table fz="xs" verticalSpacing={4} withTableBorder aria-label={`Schema of ${info.name}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Column</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Nullable</Table.Th>
                <Table.Th>Key</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {schema.map((column) => (
                <Table.Tr key={column.name}>
                  <Table.Td className="mono">{column.name}</Table.Td>
                  <Table.Td className="mono">{column.type}</Table.Td>
                  <Table.Td>{column.nullable === false ? 'no' : 'yes'}</Table.Td>
                  <Table.Td>{info.key?.includes(column.name) ? 'grouping key' : ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
      </Tabs>
    </Paper>
  );
}
