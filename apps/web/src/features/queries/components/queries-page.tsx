import {
  Alert,
  Anchor,
  Button,
  Group,
  Skeleton,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { EmptyState } from '../../../components/empty-state';
import { formatAge, formatDuration, formatNumber, formatRate } from '../../../lib/format';
import type { QueryView } from '../../../lib/sluice-types';
import { useNow } from '../../../lib/use-now';
import { useDeadLetterTotals } from '../../dead-letters/api/dead-letters-api';
import { useQueryProgress } from '../api/get-query-progress';
import { useQueries } from '../api/list-queries';
import { useQueriesRoom, useQueryRoom } from '../api/queries-live';
import { batchMetrics, fallingBehind, lagGrowing } from '../progress-metrics';
import { QueryActions } from './query-actions';
import { Sparkline } from './sparkline';
import { StatusBadge } from './status-badge';

const SPARK_BATCHES = 60;

function QueryRow({
  query,
  now,
  deadLetters,
}: {
  query: QueryView;
  now: number;
  deadLetters: number | undefined;
}) {
  useQueryRoom(query.id);
  const progress = useQueryProgress(query.id, query.lastProgress?.batchId, query.lastProgress !== null);
  const history = useMemo(
    () => (progress.data ?? []).slice(-SPARK_BATCHES).map(batchMetrics),
    [progress.data],
  );
  const last = query.lastProgress ? batchMetrics(query.lastProgress) : null;
  const behind = fallingBehind(history);
  const growing = lagGrowing(history);
  const latency = last?.latencyMaxMs ?? null;
  return (
    <Table.Tr>
      <Table.Td maw={260}>
        <Anchor
          component={Link}
          to={`/queries/${query.id}`}
          fw={600}
          size="sm"
          className="truncate"
          title={query.name}
        >
          {query.name}
        </Anchor>
        <Text size="xs" c="dimmed" className="mono truncate" title={query.spec.sql}>
          {query.spec.sql}
        </Text>
      </Table.Td>
      <Table.Td miw={84}>
        <StatusBadge status={query.status} />
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Sparkline
            values={history.map((b) => b.inputRate)}
            color="var(--mantine-color-blue-5)"
            label={`Input rate of ${query.name}`}
          />
          <Text size="xs" className="num" miw={52}>
            {formatRate(last?.inputRate)}
          </Text>
        </Group>
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Sparkline
            values={history.map((b) => b.processedRate)}
            color={behind ? 'var(--mantine-color-orange-5)' : 'var(--mantine-color-teal-5)'}
            label={`Processed rate of ${query.name}`}
          />
          <Tooltip label="Processed below input for 3 batches" disabled={!behind}>
            <Text size="xs" className="num" miw={52} c={behind ? 'orange' : undefined}>
              {formatRate(last?.processedRate)}
            </Text>
          </Tooltip>
        </Group>
      </Table.Td>
      <Table.Td className="num">
        <Text
          size="xs"
          c={growing ? 'orange' : undefined}
          title={growing ? 'Lag grew over the last 3 batches' : undefined}
        >
          {formatNumber(last?.offsetsBehind)}
        </Text>
      </Table.Td>
      <Table.Td>
        {last ? (
          <Text size="xs" className="num" ta="left">
            #{last.batchId} · {formatNumber(last.numInputRows)} rows · {formatAge(last.timestamp, now)}
          </Text>
        ) : (
          <Text size="xs" c="dimmed">
            no batch yet
          </Text>
        )}
      </Table.Td>
      <Table.Td className="num">
        <Text size="xs">{formatDuration(last?.batchDuration)}</Text>
      </Table.Td>
      <Table.Td className="num">
        <Text size="xs" title="Batch time − max event time">
          {formatDuration(latency)}
        </Text>
      </Table.Td>
      <Table.Td className="num">
        <Anchor
          component={Link}
          to={`/dead-letters?query=${encodeURIComponent(query.name)}`}
          size="xs"
          c={deadLetters ? 'red' : 'dimmed'}
          fw={deadLetters ? 600 : undefined}
          aria-label={`${formatNumber(deadLetters ?? 0)} dead letters of ${query.name}`}
          data-testid="query-dead-letters"
        >
          {deadLetters === undefined ? '–' : formatNumber(deadLetters)}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <QueryActions query={query} compact />
      </Table.Td>
    </Table.Tr>
  );
}

export function QueriesPage() {
  useQueriesRoom();
  const queries = useQueries();
  const deadLetters = useDeadLetterTotals();
  const navigate = useNavigate();
  const now = useNow();
  const [filter, setFilter] = useState('');
  const search = useRef<HTMLInputElement>(null);
  useHotkeys([['/', () => search.current?.focus()]]);
  const shown = (queries.data ?? []).filter((q) => q.name.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section aria-labelledby="page-title">
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
        <Title order={1} id="page-title">
          Queries
        </Title>
        <Group gap="xs">
          <TextInput
            ref={search}
            placeholder="Filter by name  ( / )"
            aria-label="Filter queries by name"
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)}
            w={200}
          />
          <Button onClick={() => navigate('/editor')}>New query</Button>
        </Group>
      </Group>
      {queries.isPending ? (
        <Skeleton height={160} aria-label="Loading queries" />
      ) : queries.isError ? (
        <Alert color="red" title="Could not load the queries">
          {queries.error.message}{' '}
          <Button size="compact-xs" variant="light" onClick={() => queries.refetch()}>
            Retry
          </Button>
        </Alert>
      ) : queries.data.length === 0 ? (
        <EmptyState
          title="No streaming queries yet"
          action={<Button onClick={() => navigate('/editor')}>Write your first query</Button>}
        >
          Write Spark SQL over a Kafka, rate, file or memory source in the editor, preview its rows, then
          start it. Running queries appear here with their status, rates, lag and last batch, updated on every
          trigger.
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={1080}>
          <Table
            striped
            highlightOnHover
            verticalSpacing={4}
            horizontalSpacing="xs"
            fz="xs"
            aria-label="Streaming queries"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Input</Table.Th>
                <Table.Th>Processed</Table.Th>
                <Table.Th className="num">Lag</Table.Th>
                <Table.Th>Last batch</Table.Th>
                <Table.Th className="num">Duration</Table.Th>
                <Table.Th className="num">Latency</Table.Th>
                <Table.Th className="num">Dead letters</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((query) => (
                <QueryRow
                  key={query.id}
                  query={query}
                  now={now}
                  deadLetters={deadLetters.isSuccess ? (deadLetters.data[query.name] ?? 0) : undefined}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}
