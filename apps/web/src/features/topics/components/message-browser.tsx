import {
  Alert,
  Badge,
  Button,
  Grid,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { formatNumber } from '../../../lib/format';
import { type TopicDetail, type TopicMessage, useBrowse } from '../api/topics-api';
import { type BrowseRequest, browseSearch, messageId, type SeekMode, TAIL_LIMIT } from '../browse';
import { type TailStatus, useTopicTail } from '../use-topic-tail';
import { MessageDetail } from './message-detail';
import { MessageTable } from './message-table';
import { fromLocalInput, toLocalInput } from './time-input';

const TAIL_BADGE: Record<TailStatus, { color: string; label: string }> = {
  off: { color: 'gray', label: 'off' },
  joining: { color: 'yellow', label: 'connecting…' },
  live: { color: 'teal', label: 'tailing' },
  paused: { color: 'gray', label: 'paused (tab hidden)' },
  failed: { color: 'red', label: 'failed' },
};

function browseSummary(result: {
  messages: unknown[];
  ranges: { partition: number; from: number; until: number }[];
}): string {
  const count = `${formatNumber(result.messages.length)} ${result.messages.length === 1 ? 'message' : 'messages'}`;
  if (result.ranges.length === 0) return count;
  const read = result.ranges
    .map((r) => `p${r.partition} ${formatNumber(r.from)}–${formatNumber(r.until)}`)
    .join(' · ');
  return `${count} · read offsets ${read}`;
}

/**
 * The message browser: latest N, from an offset or from a time, in one or all partitions (the
 * browse lives in the URL), or a live tail of new records; a selected message opens whole beside it.
 */
export function MessageBrowser({ topic, onProduce }: { topic: TopicDetail; onProduce: () => void }) {
  const [params, setParams] = useSearchParams();
  const request = browseSearch.fromUrl(params);
  const tailing = params.get('tail') === '1';
  const [form, setForm] = useState<BrowseRequest>(request);
  const requestKey = browseSearch.toUrl(request).toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the form follows the URL when it changes (back/forward, links).
  useEffect(() => setForm(request), [requestKey]);
  const browse = useBrowse(topic.name, tailing ? null : request);
  const tail = useTopicTail(topic.name, tailing);
  const [selected, setSelected] = useState<TopicMessage | null>(null);

  const setUrl = (next: BrowseRequest, tail: boolean) => {
    const search = browseSearch.toUrl(next);
    const tab = params.get('tab');
    if (tab) search.set('tab', tab);
    if (tail) search.set('tail', '1');
    setParams(search, { replace: false });
  };
  const runBrowse = () => {
    if (browseSearch.toUrl(form).toString() === requestKey && !tailing) void browse.refetch();
    else setUrl(form, false);
  };
  const partitionData = [
    { value: 'all', label: 'All partitions' },
    ...topic.partitions.map((p) => ({
      value: String(p.partition),
      label: `Partition ${p.partition} (${formatNumber(p.earliest)}–${formatNumber(p.latest)})`,
    })),
  ];
  const messages = tailing ? tail.messages : (browse.data?.messages ?? []);
  const selectedId = selected ? messageId(selected) : null;
  const badge = TAIL_BADGE[tail.status];

  return (
    <Stack gap="xs">
      <Paper withBorder p="xs" radius="sm">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            runBrowse();
          }}
          aria-label="Browse messages"
        >
          <Group gap="xs" align="flex-end" wrap="wrap">
            <Select
              label="Partition"
              data={partitionData}
              value={form.partition === null ? 'all' : String(form.partition)}
              onChange={(v) => setForm({ ...form, partition: v === 'all' || v === null ? null : Number(v) })}
              allowDeselect={false}
              w={210}
              disabled={tailing}
            />
            <Stack gap={2}>
              <Text size="xs" fw={500} id="seek-label">
                Seek
              </Text>
              <SegmentedControl
                aria-labelledby="seek-label"
                data={[
                  { value: 'latest', label: 'Latest' },
                  { value: 'offset', label: 'From offset' },
                  { value: 'timestamp', label: 'From time' },
                ]}
                value={form.mode}
                onChange={(v) => setForm({ ...form, mode: v as SeekMode })}
                disabled={tailing}
              />
            </Stack>
            {form.mode === 'offset' && (
              <NumberInput
                label="Offset"
                value={form.offset}
                onChange={(v) => setForm({ ...form, offset: typeof v === 'number' ? v : 0 })}
                min={0}
                allowDecimal={false}
                w={120}
                disabled={tailing}
              />
            )}
            {form.mode === 'timestamp' && (
              <TextInput
                label="From time (local)"
                type="datetime-local"
                step={1}
                value={toLocalInput(form.timestamp)}
                onChange={(e) =>
                  setForm({
                    ...form,
                    timestamp: e.currentTarget.value ? fromLocalInput(e.currentTarget.value) : null,
                  })
                }
                w={210}
                disabled={tailing}
              />
            )}
            <NumberInput
              label={form.mode === 'latest' ? 'Latest N' : 'Limit'}
              value={form.limit}
              onChange={(v) => setForm({ ...form, limit: typeof v === 'number' ? v : 100 })}
              min={1}
              max={1000}
              allowDecimal={false}
              w={90}
              disabled={tailing}
            />
            <Button
              type="submit"
              loading={browse.isFetching}
              disabled={tailing || (form.mode === 'timestamp' && !form.timestamp)}
            >
              Browse
            </Button>
            <Group gap={6} ml="auto" align="center" pb={4}>
              <Switch
                label="Live tail"
                checked={tailing}
                onChange={(e) => {
                  tail.clear();
                  setSelected(null);
                  setUrl(request, e.currentTarget.checked);
                }}
              />
              {tailing && (
                <Badge
                  variant="dot"
                  color={badge.color}
                  tt="none"
                  data-testid="tail-status"
                  className={tail.status === 'live' ? 'live-dot' : undefined}
                >
                  {badge.label}
                </Badge>
              )}
            </Group>
          </Group>
        </form>
      </Paper>

      <Group justify="space-between" gap="xs" mih={20}>
        <Text size="xs" c="dimmed" data-testid="browse-summary">
          {tailing
            ? `${formatNumber(tail.messages.length)} new ${tail.messages.length === 1 ? 'message' : 'messages'}, newest first (keeps the last ${TAIL_LIMIT}; pauses while this tab is hidden)`
            : browse.data
              ? browseSummary(browse.data)
              : ''}
        </Text>
        {tailing && tail.skipped > 0 && (
          <Text size="xs" c="orange">
            {formatNumber(tail.skipped)} not pushed (over 500/s): browse them
          </Text>
        )}
      </Group>

      {tailing && tail.status === 'failed' && (
        <Alert color="red" title="The live tail could not start">
          {tail.error}
        </Alert>
      )}
      {!tailing && browse.isError ? (
        <Alert color="red" title="The browse failed">
          {browse.error.message}{' '}
          <Button size="compact-xs" variant="light" onClick={() => browse.refetch()}>
            Retry
          </Button>
        </Alert>
      ) : !tailing && browse.isPending ? (
        <Skeleton height={200} aria-label="Loading messages" />
      ) : (
        <Grid gutter="xs">
          <Grid.Col span={{ base: 12, lg: selected ? 7 : 12 }} style={{ minWidth: 0 }}>
            <MessageTable
              messages={messages}
              selected={selectedId}
              onSelect={setSelected}
              label={tailing ? 'Live messages' : 'Messages'}
              empty={
                <>
                  <Text size="xs" c="dimmed" ta="center">
                    {tailing
                      ? tail.status === 'live'
                        ? 'Waiting for new messages: each one produced from now on appears here.'
                        : 'Connecting the live tail…'
                      : topic.messageCount === 0
                        ? 'This topic has no messages yet.'
                        : 'No messages in this range. Try Latest, an earlier offset or an earlier time.'}
                  </Text>
                  {(tailing || topic.messageCount === 0) && (
                    <Button size="compact-xs" variant="light" onClick={onProduce}>
                      Produce a message
                    </Button>
                  )}
                </>
              }
            />
          </Grid.Col>
          {selected && (
            <Grid.Col span={{ base: 12, lg: 5 }} style={{ minWidth: 0 }}>
              <MessageDetail message={selected} />
            </Grid.Col>
          )}
        </Grid>
      )}
    </Stack>
  );
}
