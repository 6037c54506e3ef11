import { Group, Paper, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A chart with its title and its latest value as text (charts without numbers hide the answer). */
export function ChartCard({
  title,
  latest,
  children,
}: {
  title: string;
  latest: ReactNode;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p={8} radius="sm" component="figure" m={0} aria-label={title}>
      <Group justify="space-between" gap={4} mb={2} wrap="nowrap">
        <Text size="xs" fw={600} component="figcaption" className="truncate">
          {title}
        </Text>
        <Text
          size="xs"
          className="num mono"
          c="dimmed"
          style={{ whiteSpace: 'nowrap' }}
          data-testid="chart-latest"
        >
          {latest}
        </Text>
      </Group>
      <div style={{ height: 130 }}>{children}</div>
    </Paper>
  );
}
