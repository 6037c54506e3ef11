import {
  Alert,
  Anchor,
  Button,
  Code,
  Drawer,
  Group,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { payloadPreview } from '../../../lib/payload';
import { useDeadLetter } from '../api/dead-letters-api';
import { PayloadView } from './payload-view';
import { StageBadge } from './stage-badge';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title}>
      <Title order={3} size="h6" mb={4}>
        {title}
      </Title>
      {children}
    </section>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={{ base: 96, sm: 130 }} fw={500} c="dimmed">
        {label}
      </Table.Th>
      <Table.Td className="mono" style={{ wordBreak: 'break-all' }}>
        {children}
      </Table.Td>
    </Table.Tr>
  );
}

/** One dead letter whole: the error, where the record came from, its value and key, headers, stack and replays. */
export function DeadLetterDrawer({
  id,
  onClose,
  onReplay,
  onPurge,
}: {
  id: string | undefined;
  onClose: () => void;
  onReplay: (id: string) => void;
  onPurge: (id: string) => void;
}) {
  const narrow = useMediaQuery('(max-width: 48em)');
  const detail = useDeadLetter(id);
  const dl = detail.data;
  return (
    <Drawer
      opened={id !== undefined}
      onClose={onClose}
      position="right"
      size={narrow ? '100%' : 640}
      title={
        dl ? (
          <Group gap={8} wrap="nowrap">
            <StageBadge stage={dl.stage} />
            <Text fw={700} size="sm" className="mono truncate" title={dl.errorClass}>
              {dl.errorClass}
            </Text>
          </Group>
        ) : (
          'Dead letter'
        )
      }
      aria-label="Dead letter detail"
    >
      {detail.isPending ? (
        <Stack gap="sm">
          <Skeleton height={60} />
          <Skeleton height={160} />
        </Stack>
      ) : detail.isError ? (
        <Alert color="red" title="Could not load the dead letter">
          {detail.error.message}
        </Alert>
      ) : dl ? (
        <Stack gap="md" data-testid="dead-letter-detail">
          <Alert color={dl.stage === 'parse' ? 'orange' : 'red'} p="xs" title="Error">
            <Text size="sm" style={{ wordBreak: 'break-word' }} data-testid="dead-letter-message">
              {dl.errorMessage}
            </Text>
          </Alert>
          <Group gap="xs">
            <Button size="xs" onClick={() => onReplay(dl.id)}>
              Replay…
            </Button>
            <Button size="xs" variant="default" color="red" onClick={() => onPurge(dl.id)}>
              Purge…
            </Button>
          </Group>
          <Section title="Where">
            <Table fz="xs" verticalSpacing={2} horizontalSpacing={6} withRowBorders={false}>
              <Table.Tbody>
                <Field label="Query">
                  {dl.queryName ? (
                    <Anchor
                      component={Link}
                      to={`/dead-letters?query=${encodeURIComponent(dl.queryName)}`}
                      size="xs"
                    >
                      {dl.queryName}
                    </Anchor>
                  ) : (
                    '–'
                  )}{' '}
                  {dl.queryId && (
                    <Text span size="xs" c="dimmed">
                      ({dl.queryId})
                    </Text>
                  )}
                </Field>
                <Field label="Run · batch">
                  {dl.runId ?? '–'} · {dl.batchId ?? '–'}
                </Field>
                <Field label="Source record">
                  {dl.sourceTopic
                    ? `${dl.sourceTopic} · partition ${dl.sourcePartition} · offset ${dl.sourceOffset}`
                    : '–'}
                </Field>
                <Field label="Dead letter at">
                  {dl.dlqTopic} · partition {dl.dlqPartition} · offset {dl.dlqOffset}
                </Field>
                <Field label="Failed">
                  {new Date(dl.failedAt).toLocaleString()} ({dl.failedAt})
                </Field>
                <Field label="Record time">{dl.recordTimestamp ?? '–'}</Field>
                <Field label="Archived">{new Date(dl.archivedAt).toLocaleString()}</Field>
              </Table.Tbody>
            </Table>
          </Section>
          <Section title="Value">
            <PayloadView value={dl.value} stage={dl.stage} errorMessage={dl.errorMessage} />
          </Section>
          <Section title="Key">
            <Code block style={{ fontSize: 11.5, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
              {payloadPreview(dl.key, 2000)}
            </Code>
          </Section>
          <Section title={`Headers (${dl.headers.length})`}>
            {narrow ? (
              <Stack gap={6} aria-label="Headers">
                {dl.headers.map((h, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a header key may repeat; the list never reorders
                  <div key={`${h.key}-${i}`}>
                    <Text size="xs" c="dimmed" className="mono" style={{ overflowWrap: 'anywhere' }}>
                      {h.key}
                    </Text>
                    <Text
                      size="xs"
                      className="mono"
                      style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}
                    >
                      {payloadPreview(h.value, h.key.endsWith('.stacktrace') ? 80 : 400)}
                    </Text>
                  </div>
                ))}
              </Stack>
            ) : (
              <Table fz="xs" verticalSpacing={2} horizontalSpacing={6} striped aria-label="Headers">
                <Table.Tbody>
                  {dl.headers.map((h, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a header key may repeat; the list never reorders
                    <Table.Tr key={`${h.key}-${i}`}>
                      <Table.Td className="mono" style={{ overflowWrap: 'anywhere' }} w="42%">
                        {h.key}
                      </Table.Td>
                      <Table.Td className="mono" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
                        {payloadPreview(h.value, h.key.endsWith('.stacktrace') ? 80 : 400)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Section>
          <Section title="Stack trace">
            {dl.stack ? (
              <Code block style={{ maxHeight: 260, overflow: 'auto', fontSize: 11 }} aria-label="Stack trace">
                {dl.stack}
              </Code>
            ) : (
              <Text size="xs" c="dimmed">
                No stack trace in the record.
              </Text>
            )}
          </Section>
          <Section title={`Replays (${dl.replays.length})`}>
            {dl.replays.length === 0 ? (
              <Text size="xs" c="dimmed">
                Not replayed yet.
              </Text>
            ) : (
              <Table fz="xs" verticalSpacing={2} horizontalSpacing={6} aria-label="Replays">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>When</Table.Th>
                    <Table.Th>To</Table.Th>
                    <Table.Th className="num">Partition</Table.Th>
                    <Table.Th className="num">Offset</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {dl.replays.map((r) => (
                    <Table.Tr key={r.id}>
                      <Table.Td>{new Date(r.replayedAt).toLocaleString()}</Table.Td>
                      <Table.Td className="mono">{r.targetTopic}</Table.Td>
                      <Table.Td className="num mono">{r.targetPartition ?? '–'}</Table.Td>
                      <Table.Td className="num mono">{r.targetOffset ?? '–'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Section>
        </Stack>
      ) : null}
    </Drawer>
  );
}
