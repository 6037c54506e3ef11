import { Text, Title } from '@mantine/core';

export function DeadLettersPage() {
  return (
    <section aria-labelledby="page-title">
      <Title order={1} id="page-title" mb="sm">
        Dead letters
      </Title>
      <Text c="dimmed" size="sm" maw={680}>
        Records a query could not process will be listed here with their query, stage, error class and
        payload, filterable and replayable to a topic after a confirmation.
      </Text>
    </section>
  );
}
