import { Alert, Anchor, Box, Code, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { EmptyState } from '../../../components/empty-state';
import { ApiError } from '../../../lib/api';
import { formatDuration } from '../../../lib/format';
import type { QueryView } from '../../../lib/sluice-types';
import { useNow } from '../../../lib/use-now';
import { useDeadLetterTotals } from '../../dead-letters/api/dead-letters-api';
import { useQueryView } from '../api/get-query';
import { useQueryProgress } from '../api/get-query-progress';
import { useQueryRoom } from '../api/queries-live';
import { batchMetrics } from '../progress-metrics';
import { BatchTable } from './batch-table';
import { HeadlineNumbers } from './headline-numbers';
import { MemoryTablePanel } from './memory-table-panel';
import { QueryActions } from './query-actions';
import { QueryCharts } from './query-charts';
import { StatusBadge } from './status-badge';

function Header({ query }: { query: QueryView }) {
  const now = useNow();
  const up = query.status === 'running' && query.startedAt ? now - Date.parse(query.startedAt) : null;
  return (
    <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs" mb="sm">
      <Stack gap={2} style={{ minWidth: 0, flex: '1 1 280px' }}>
        <Group gap="xs" wrap="nowrap">
          <Title order={1} id="page-title" className="truncate" title={query.name}>
            {query.name}
          </Title>
          <StatusBadge status={query.status} />
        </Group>
        <Text size="xs" c="dimmed" className="truncate">
          run <span className="mono">{query.runId ?? '–'}</span> ·{' '}
          {up !== null
            ? `up ${formatDuration(up)}`
            : `started ${query.startedAt ? new Date(query.startedAt).toLocaleString() : 'never'}`}{' '}
          · {query.spec.outputMode} → {query.spec.sink.format}
        </Text>
      </Stack>
      <QueryActions query={query} showEdit />
    </Group>
  );
}

function ExceptionPanel({ query }: { query: QueryView }) {
  if (!query.exception) return null;
  return (
    <Alert
      color="red"
      title={`${query.status === 'failed' ? 'Failed' : 'Last error'}: ${query.exception.errorClass ?? 'error'}`}
      mb="sm"
    >
      <Text size="sm" mb={4} style={{ wordBreak: 'break-word' }}>
        {query.exception.message}
      </Text>
      {query.exception.stack && (
        <details>
          <summary>Stack trace</summary>
          <Code block style={{ maxHeight: 240, overflow: 'auto', fontSize: 11 }}>
            {query.exception.stack}
          </Code>
        </details>
      )}
    </Alert>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Box component="section" aria-label={title} mt="md">
      <Title order={2} size="h5" mb={6}>
        {title}
      </Title>
      {children}
    </Box>
  );
}

export function QueryDetailPage() {
  const { id = '' } = useParams();
  useQueryRoom(id);
  const query = useQueryView(id);
  const deadLetters = useDeadLetterTotals();
  const lastBatchId = query.data?.lastProgress?.batchId;
  const progress = useQueryProgress(id, lastBatchId, query.isSuccess);
  const batches = useMemo(() => (progress.data ?? []).map(batchMetrics), [progress.data]);

  if (query.isPending) {
    return (
      <Stack gap="sm" aria-label="Loading the query">
        <Skeleton height={36} width="40%" />
        <Skeleton height={56} />
        <Skeleton height={300} />
      </Stack>
    );
  }
  if (query.isError) {
    const missing =
      query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 400);
    return (
      <section aria-labelledby="page-title">
        <Title order={1} id="page-title" mb="sm">
          Query
        </Title>
        <EmptyState
          title={missing ? 'No such query' : 'Could not load the query'}
          action={
            <Anchor component={Link} to="/queries" size="sm">
              Back to all queries
            </Anchor>
          }
        >
          {query.error.message}
        </EmptyState>
      </section>
    );
  }
  const view = query.data;
  const memoryTable =
    view.spec.sink.format === 'memory' ? (view.spec.sink.options?.queryName ?? view.spec.name) : undefined;
  return (
    <section aria-labelledby="page-title">
      <Header query={view} />
      <ExceptionPanel query={view} />
      <HeadlineNumbers
        batches={batches}
        deadLetters={{
          count: deadLetters.isSuccess ? (deadLetters.data[view.name] ?? 0) : undefined,
          href: `/dead-letters?query=${encodeURIComponent(view.name)}`,
        }}
      />
      <Section title="Charts">
        {progress.isPending && view.lastProgress ? (
          <Skeleton height={300} />
        ) : batches.length === 0 ? (
          <Paper withBorder p="md">
            <Text size="sm" c="dimmed">
              {view.status === 'running'
                ? 'Waiting for the first batch: charts fill on every trigger.'
                : 'This query has not run a batch yet. Start it to see its rates, durations and state here.'}
            </Text>
          </Paper>
        ) : (
          <QueryCharts batches={batches} />
        )}
      </Section>
      <Section title="Batches">
        <BatchTable history={progress.data ?? []} />
      </Section>
      {memoryTable && (
        <Section title="Memory table">
          <MemoryTablePanel table={memoryTable} outputMode={view.spec.outputMode} />
        </Section>
      )}
      <Section title="SQL">
        <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
          {view.spec.sql}
        </Code>
      </Section>
    </section>
  );
}
