import { Text, Title } from '@mantine/core';

export function TablesPage() {
  return (
    <section aria-labelledby="page-title">
      <Title order={1} id="page-title" mb="sm">
        Tables
      </Title>
      <Text c="dimmed" size="sm" maw={680}>
        Memory tables written by queries with a memory sink will be listed here with their row counts and
        output mode, each opening a virtualised grid that fills live as batches arrive, with an ad-hoc SQL box
        and CSV/JSON export.
      </Text>
    </section>
  );
}
