import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDisclosure, useHotkeys, useLocalStorage } from '@mantine/hooks';
import { useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { EmptyState } from '../../../components/empty-state';
import { formatNumber } from '../../../lib/format';
import { type TopicSummary, useTopics } from '../api/topics-api';
import { CreateTopicModal } from './create-topic';
import { DeleteTopicModal } from './delete-topic';

function offsetsText(topic: TopicSummary): string {
  return topic.offsets
    .map((o) => `p${o.partition} ${formatNumber(o.earliest)}–${formatNumber(o.latest)}`)
    .join(' · ');
}

/** Topics of the configured cluster, with partitions, offsets and message counts. */
export function TopicsPage() {
  const topics = useTopics();
  const navigate = useNavigate();
  const [filter, setFilter] = useState('');
  const [showInternal, setShowInternal] = useLocalStorage({
    key: 'sluice.topics.internal',
    defaultValue: false,
  });
  const [creating, create] = useDisclosure(false);
  const [deleting, setDeleting] = useState<TopicSummary | null>(null);
  const search = useRef<HTMLInputElement>(null);
  useHotkeys([['/', () => search.current?.focus()]]);
  const all = topics.data ?? [];
  const shown = all.filter(
    (t) => (showInternal || !t.internal) && t.name.toLowerCase().includes(filter.toLowerCase()),
  );
  const hiddenInternal = all.filter((t) => t.internal).length;
  const userTopics = all.length - hiddenInternal;

  return (
    <section aria-labelledby="page-title">
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
        <Stack gap={0}>
          <Title order={1} id="page-title">
            Topics
          </Title>
          <Text size="xs" c="dimmed">
            The Kafka cluster the server uses: partitions, offsets and messages.
          </Text>
        </Stack>
        <Group gap="xs">
          <Switch
            label="Internal topics"
            checked={showInternal}
            onChange={(e) => setShowInternal(e.currentTarget.checked)}
            size="xs"
          />
          <TextInput
            ref={search}
            placeholder="Filter by name  ( / )"
            aria-label="Filter topics by name"
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)}
            w={200}
          />
          <Button onClick={create.open}>Create topic</Button>
        </Group>
      </Group>
      {topics.isPending ? (
        <Stack gap={6} aria-label="Loading the topics">
          <Skeleton height={28} />
          <Skeleton height={28} />
          <Skeleton height={28} />
        </Stack>
      ) : topics.isError ? (
        <Alert color="red" title="Could not list the topics">
          {topics.error.message}{' '}
          <Button size="compact-xs" variant="light" onClick={() => topics.refetch()}>
            Retry
          </Button>
        </Alert>
      ) : userTopics === 0 && !showInternal ? (
        <EmptyState title="No topics yet" action={<Button onClick={create.open}>Create a topic</Button>}>
          Create a topic here, or let a producer or a query's Kafka sink create one. Each topic opens a
          message browser (latest messages, seek by offset or time), a live tail and a produce form.
          {hiddenInternal > 0 ? ` (${hiddenInternal} internal topics hidden.)` : ''}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={440}>
          <Table
            striped
            highlightOnHover
            verticalSpacing={5}
            horizontalSpacing="sm"
            fz="xs"
            aria-label="Topics"
            withTableBorder
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th className="num">Partitions</Table.Th>
                <Table.Th className="num">Messages</Table.Th>
                <Table.Th visibleFrom="sm">Offsets (earliest–latest)</Table.Th>
                <Table.Th w={60}>
                  <span className="visually-hidden">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((topic) => (
                <Table.Tr key={topic.name}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Anchor
                        component={Link}
                        to={`/topics/${encodeURIComponent(topic.name)}`}
                        className="mono"
                        fw={600}
                      >
                        {topic.name}
                      </Anchor>
                      {topic.internal && (
                        <Badge size="xs" variant="light" color="gray" tt="none">
                          internal
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td className="num">{formatNumber(topic.partitions)}</Table.Td>
                  <Table.Td className="num" data-testid={`messages-${topic.name}`}>
                    {formatNumber(topic.messageCount)}
                  </Table.Td>
                  <Table.Td maw={420} visibleFrom="sm">
                    <Text size="xs" className="mono truncate" c="dimmed" title={offsetsText(topic)}>
                      {offsetsText(topic)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Delete ${topic.name}`}
                      onClick={() => setDeleting(topic)}
                      disabled={topic.internal}
                    >
                      Delete
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
              {shown.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text size="xs" c="dimmed" py={6}>
                      No topic matches “{filter}”.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateTopicModal
        opened={creating}
        onClose={create.close}
        onCreated={(name) => {
          create.close();
          navigate(`/topics/${encodeURIComponent(name)}`);
        }}
      />
      {deleting && (
        <DeleteTopicModal
          topic={deleting.name}
          messageCount={deleting.messageCount}
          opened
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}
