import { Text, Title } from '@mantine/core';

export function TopicsPage() {
  return (
    <section aria-labelledby="page-title">
      <Title order={1} id="page-title" mb="sm">
        Topics
      </Title>
      <Text c="dimmed" size="sm" maw={680}>
        Kafka topics on the broker will be listed here with their partitions, offsets and message counts; a
        topic opens a message browser (seek by offset, timestamp or latest N), a live tail and a produce form.
      </Text>
    </section>
  );
}
