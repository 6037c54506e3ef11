import { Alert, Button, Grid, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { useRef } from 'react';
import { Navigate, useNavigate, useParams } from 'react-router';
import { EmptyState } from '../../../components/empty-state';
import { useTables } from '../api/list-tables';
import { SqlConsole } from './sql-console';
import { TableList } from './table-list';
import { TableView } from './table-view';

/** Memory-sink tables: the list, the selected table's live grid, and ad-hoc SQL over all of them. */
export function TablesPage() {
  const { name } = useParams();
  const navigate = useNavigate();
  const tables = useTables();
  const [sql, setSql] = useLocalStorage<string>({ key: 'sluice.sql.text', defaultValue: '' });
  const consoleRef = useRef<HTMLDivElement>(null);
  const list = tables.data ?? [];
  const selected = name ? list.find((t) => t.name === name) : undefined;

  if (!name && list.length > 0 && list[0]) {
    return <Navigate to={`/tables/${encodeURIComponent(list[0].name)}`} replace />;
  }
  const querySql = (text: string) => {
    setSql(text);
    consoleRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  return (
    <section aria-labelledby="page-title">
      <Group justify="space-between" mb="sm" gap="xs">
        <Stack gap={0}>
          <Title order={1} id="page-title">
            Tables
          </Title>
          <Text size="xs" c="dimmed">
            What queries with a memory sink write, updated live on every batch.
          </Text>
        </Stack>
      </Group>
      {tables.isPending ? (
        <Grid gutter="sm">
          <Grid.Col span={{ base: 12, md: 3 }}>
            <Skeleton height={180} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 9 }}>
            <Skeleton height={320} aria-label="Loading the tables" />
          </Grid.Col>
        </Grid>
      ) : tables.isError ? (
        <Alert color="red" title="Could not load the tables">
          {tables.error.message}{' '}
          <Button size="compact-xs" variant="light" onClick={() => tables.refetch()}>
            Retry
          </Button>
        </Alert>
      ) : list.length === 0 ? (
        <EmptyState
          title="No memory tables yet"
          action={<Button onClick={() => navigate('/editor')}>Write a query with a memory sink</Button>}
        >
          A query whose sink is <code>memory</code> fills a table named after it; while it runs the table
          shows here with its schema and rows, updated on every batch, and you can query it with SQL below.
        </EmptyState>
      ) : (
        <Grid gutter="sm">
          <Grid.Col span={{ base: 12, md: 4, lg: 3 }}>
            <TableList tables={list} selected={name} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8, lg: 9 }} style={{ minWidth: 0 }}>
            {selected ? (
              <TableView key={selected.name} info={selected} onQuery={querySql} />
            ) : (
              <Paper withBorder p="lg" radius="sm">
                <Stack gap="xs" align="flex-start">
                  <Title order={2} size="h5">
                    No table named <span className="mono">{name}</span>
                  </Title>
                  <Text size="sm" c="dimmed">
                    Its query may have been deleted, or it has not written a batch yet. Pick a table from the
                    list.
                  </Text>
                </Stack>
              </Paper>
            )}
          </Grid.Col>
        </Grid>
      )}
      <div ref={consoleRef} style={{ marginTop: 12, scrollMarginTop: 56 }}>
        <SqlConsole tables={list} sql={sql} onSqlChange={setSql} />
      </div>
    </section>
  );
}
