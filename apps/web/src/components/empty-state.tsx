import { Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** What an empty page or panel means and the one thing to do next. */
export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children: ReactNode;
  action?: ReactNode;
}) {
  return (
    <Paper withBorder p="lg" radius="sm">
      <Stack gap="xs" align="flex-start">
        <Title order={3} size="h5">
          {title}
        </Title>
        <Text size="sm" c="dimmed" maw={640}>
          {children}
        </Text>
        {action}
      </Stack>
    </Paper>
  );
}
