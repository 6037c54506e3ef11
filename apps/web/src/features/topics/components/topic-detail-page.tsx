import {
  Anchor,
  Badge,
  Button,
  Group,
  Skeleton,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { EmptyState } from '../../../components/empty-state';
import { ApiError } from '../../../lib/api';
import { formatNumber } from '../../../lib/format';
import { type TopicDetail, topicKeys, useTopic } from '../api/topics-api';
import { browseSearch } from '../browse';
import { DeleteTopicModal } from './delete-topic';
import { MessageBrowser } from './message-browser';
import { ProduceDrawer } from './produce-form';

function PartitionsTable({
  topic,
  onBrowse,
}: {
  topic: TopicDetail;
  onBrowse: (partition: number, from: number) => void;
}) {
  return (
    <Table.ScrollContainer minWidth={620}>
      <Table fz="xs" verticalSpacing={4} withTableBorder striped aria-label="Partitions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th className="num">Partition</Table.Th>
            <Table.Th className="num">Leader</Table.Th>
            <Table.Th>Replicas</Table.Th>
            <Table.Th>In sync</Table.Th>
            <Table.Th className="num">Low watermark</Table.Th>
            <Table.Th className="num">High watermark</Table.Th>
            <Table.Th className="num">Messages</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {topic.partitions.map((p) => (
            <Table.Tr key={p.partition}>
              <Table.Td className="num mono">{p.partition}</Table.Td>
              <Table.Td className="num mono">{p.leader}</Table.Td>
              <Table.Td className="mono">{p.replicas.join(', ')}</Table.Td>
              <Table.Td className="mono" c={p.isr.length < p.replicas.length ? 'orange' : undefined}>
                {p.isr.join(', ')}
              </Table.Td>
              <Table.Td className="num mono">{formatNumber(p.earliest)}</Table.Td>
              <Table.Td className="num mono">{formatNumber(p.latest)}</Table.Td>
              <Table.Td className="num">{formatNumber(p.latest - p.earliest)}</Table.Td>
              <Table.Td>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  onClick={() => onBrowse(p.partition, p.earliest)}
                  aria-label={`Browse partition ${p.partition} from the start`}
                >
                  Browse
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ConfigsTable({ topic }: { topic: TopicDetail }) {
  const [all, setAll] = useState(false);
  const shown = topic.configs.filter((c) => all || !c.isDefault);
  return (
    <Stack gap={6}>
      <Switch
        size="xs"
        label={`Show defaults (${topic.configs.filter((c) => c.isDefault).length})`}
        checked={all}
        onChange={(e) => setAll(e.currentTarget.checked)}
      />
      <Table fz="xs" verticalSpacing={3} withTableBorder striped aria-label="Configs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Config</Table.Th>
            <Table.Th>Value</Table.Th>
            <Table.Th>Source</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((c) => (
            <Table.Tr key={c.name}>
              <Table.Td className="mono">{c.name}</Table.Td>
              <Table.Td className="mono" style={{ wordBreak: 'break-all' }}>
                {c.sensitive ? '••••••' : (c.value ?? 'null')}
              </Table.Td>
              <Table.Td>
                <Badge size="xs" variant="light" color={c.isDefault ? 'gray' : 'blue'} tt="none">
                  {c.isDefault ? 'default' : 'set on topic'}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
          {shown.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={3}>
                <Text size="xs" c="dimmed">
                  Every config has its broker default.
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** One topic: its numbers, the message browser with live tail, partitions, configs, produce and delete. */
export function TopicDetailPage() {
  const { topic: name = '' } = useParams();
  const topic = useTopic(name);
  const navigate = useNavigate();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [producing, produce] = useDisclosure(false);
  const [deleting, del] = useDisclosure(false);
  const tab = params.get('tab') ?? 'messages';
  const setTab = (value: string | null) => {
    const next = new URLSearchParams(params);
    if (!value || value === 'messages') next.delete('tab');
    else next.set('tab', value);
    setParams(next);
  };

  const back = (
    <Anchor component={Link} to="/topics" size="xs">
      ← Topics
    </Anchor>
  );
  if (topic.isPending) {
    return (
      <Stack gap="sm" aria-label="Loading the topic">
        {back}
        <Skeleton height={32} width="40%" />
        <Skeleton height={48} />
        <Skeleton height={280} />
      </Stack>
    );
  }
  if (topic.isError) {
    const missing =
      topic.error instanceof ApiError && (topic.error.status === 404 || topic.error.status === 400);
    return (
      <section aria-labelledby="page-title">
        {back}
        <Title order={1} id="page-title" my="sm" ff="monospace">
          {name}
        </Title>
        <EmptyState
          title={missing ? 'No such topic' : 'Could not describe the topic'}
          action={
            missing ? (
              <Button variant="light" onClick={() => navigate('/topics')}>
                All topics
              </Button>
            ) : (
              <Button variant="light" onClick={() => topic.refetch()}>
                Retry
              </Button>
            )
          }
        >
          {topic.error.message}
        </EmptyState>
      </section>
    );
  }
  const detail = topic.data;
  return (
    <section aria-labelledby="page-title">
      {back}
      <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap" mt={4} mb="sm">
        <Stack gap={4} style={{ minWidth: 0, flex: '1 1 280px' }}>
          <Group gap="xs" wrap="nowrap">
            <Title order={1} id="page-title" ff="monospace" className="truncate" title={detail.name}>
              {detail.name}
            </Title>
            {detail.internal && (
              <Badge variant="light" color="gray" tt="none">
                internal
              </Badge>
            )}
          </Group>
          <Group gap="md">
            <Text size="xs" c="dimmed">
              <Text span fw={700} size="sm" c="var(--mantine-color-text)" data-testid="topic-partitions">
                {formatNumber(detail.partitions.length)}
              </Text>{' '}
              partitions
            </Text>
            <Text size="xs" c="dimmed">
              <Text span fw={700} size="sm" c="var(--mantine-color-text)" data-testid="topic-messages">
                {formatNumber(detail.messageCount)}
              </Text>{' '}
              messages
            </Text>
            <Text size="xs" c="dimmed">
              replication{' '}
              <Text span fw={700} size="sm" c="var(--mantine-color-text)">
                {detail.partitions[0]?.replicas.length ?? '–'}
              </Text>
            </Text>
          </Group>
        </Stack>
        <Group gap="xs">
          <Button onClick={produce.open}>Produce message</Button>
          <Button color="red" variant="light" onClick={del.open} disabled={detail.internal}>
            Delete topic
          </Button>
        </Group>
      </Group>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="xs">
          <Tabs.Tab value="messages">Messages</Tabs.Tab>
          <Tabs.Tab value="partitions">Partitions · {detail.partitions.length}</Tabs.Tab>
          <Tabs.Tab value="configs">Configs</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="messages">
          <MessageBrowser topic={detail} onProduce={produce.open} />
        </Tabs.Panel>
        <Tabs.Panel value="partitions">
          <PartitionsTable
            topic={detail}
            onBrowse={(partition, from) =>
              setParams(
                browseSearch.toUrl({ partition, mode: 'offset', offset: from, timestamp: null, limit: 100 }),
              )
            }
          />
        </Tabs.Panel>
        <Tabs.Panel value="configs">
          <ConfigsTable topic={detail} />
        </Tabs.Panel>
      </Tabs>
      <ProduceDrawer
        topic={detail.name}
        partitions={detail.partitions.length}
        opened={producing}
        onClose={produce.close}
        onProduced={() => {
          produce.close();
          // A latest-N browse on screen shows the new record at once.
          void client.invalidateQueries({ queryKey: topicKeys.messagesOf(detail.name) });
        }}
      />
      <DeleteTopicModal
        topic={detail.name}
        messageCount={detail.messageCount}
        opened={deleting}
        onClose={del.close}
        onDeleted={() => navigate('/topics')}
      />
    </section>
  );
}
