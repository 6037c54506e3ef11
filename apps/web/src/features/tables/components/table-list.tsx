import { Badge, NavLink, Paper, ScrollArea, Text } from '@mantine/core';
import { Link } from 'react-router';
import { formatNumber } from '../../../lib/format';
import { isPreviewTable, type TableInfo } from '../api/list-tables';

/** Every memory table, with its mode and row count; the selected one is highlighted. */
export function TableList({ tables, selected }: { tables: TableInfo[]; selected: string | undefined }) {
  return (
    <Paper withBorder radius="sm" p={4}>
      <Text size="xs" c="dimmed" px={8} pt={4} pb={2} fw={600} tt="uppercase">
        Memory tables · {tables.length}
      </Text>
      <ScrollArea.Autosize mah={420} type="auto">
        <nav aria-label="Memory tables">
          {tables.map((table) => (
            <NavLink
              key={table.name}
              component={Link}
              to={`/tables/${encodeURIComponent(table.name)}`}
              active={table.name === selected}
              aria-current={table.name === selected ? 'page' : undefined}
              py={5}
              label={
                <Text size="sm" className="mono truncate" fw={600} title={table.name}>
                  {table.name}
                </Text>
              }
              description={
                <Text size="xs" c="dimmed" component="span">
                  {isPreviewTable(table.name) ? 'editor preview' : table.outputMode} · {table.schema.length}{' '}
                  columns
                </Text>
              }
              rightSection={
                <Badge
                  variant="light"
                  color={table.truncated ? 'orange' : 'gray'}
                  tt="none"
                  className="num"
                  title={table.truncated ? 'Oldest rows dropped (server limit)' : undefined}
                >
                  {formatNumber(table.rowCount)}
                </Badge>
              }
            />
          ))}
        </nav>
      </ScrollArea.Autosize>
    </Paper>
  );
}
