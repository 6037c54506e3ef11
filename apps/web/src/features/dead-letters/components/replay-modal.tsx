import { Alert, Autocomplete, Button, Group, List, Modal, Radio, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { formatNumber } from '../../../lib/format';
import { useTopics } from '../../topics/api/topics-api';
import { type ReplayResult, type Selection, useReplay } from '../api/dead-letters-api';

/** What a replay or purge covers, as the page knows it. */
export interface Scope {
  selection: Selection;
  count: number;
  /** The source topics of the covered dead letters (as far as the page has loaded them). */
  sourceTopics: string[];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

function topicsText(topics: string[]): string {
  if (topics.length === 0) return 'the topic each was read from';
  return topics.length <= 3
    ? topics.join(', ')
    : `${topics.slice(0, 3).join(', ')} and ${topics.length - 3} more`;
}

/**
 * Replay with a confirmation that names how many and where; then the server's report (sent,
 * not sent and why).
 */
export function ReplayModal({ scope, onClose }: { scope: Scope | null; onClose: () => void }) {
  const replay = useReplay();
  const topics = useTopics();
  const [target, setTarget] = useState<'original' | 'other'>('original');
  const [topic, setTopic] = useState('');
  const [result, setResult] = useState<ReplayResult | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset once per opening, not when the mutation changes
  useEffect(() => {
    if (scope) {
      setResult(null);
      setTarget('original');
      setTopic('');
      replay.reset();
    }
  }, [scope]);
  if (!scope) return null;
  const where = target === 'original' ? topicsText(scope.sourceTopics) : topic.trim() || '…';
  const topicNames = (topics.data ?? []).filter((t) => !t.internal).map((t) => t.name);
  const ready = target === 'original' || topic.trim() !== '';
  const submit = () =>
    replay.mutate(
      { ...scope.selection, ...(target === 'other' ? { targetTopic: topic.trim() } : {}) },
      { onSuccess: setResult },
    );
  return (
    <Modal opened onClose={onClose} title={<Text fw={700}>Replay dead letters</Text>} size="lg">
      {result ? (
        <Stack gap="sm" data-testid="replay-result">
          <Alert color={result.failed.length === 0 ? 'teal' : 'orange'} title="Replay done">
            Replayed {formatNumber(result.replayed)} of {plural(result.requested, 'dead letter')}
            {result.targets.length > 0 &&
              ` → ${result.targets.map((t) => `${t.topic} (${formatNumber(t.count)})`).join(', ')}`}
            .
          </Alert>
          {result.failed.length > 0 && (
            <>
              <Text size="sm">Not sent:</Text>
              <List size="xs" className="mono">
                {result.failed.slice(0, 20).map((f) => (
                  <List.Item key={f.id}>
                    {f.id}: {f.message}
                  </List.Item>
                ))}
              </List>
            </>
          )}
          <Group justify="flex-end">
            <Button onClick={onClose}>Close</Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="sm">
          <Radio.Group
            value={target}
            onChange={(v) => setTarget(v as 'original' | 'other')}
            label="Send them to"
          >
            <Stack gap={6} mt={6}>
              <Radio value="original" label={`Their original topic (${topicsText(scope.sourceTopics)})`} />
              <Radio value="other" label="Another topic" />
            </Stack>
          </Radio.Group>
          {target === 'other' && (
            <Autocomplete
              label="Topic"
              placeholder="orders-fixed"
              data={topicNames}
              value={topic}
              onChange={setTopic}
              data-autofocus
            />
          )}
          <Alert color="blue" variant="light" data-testid="replay-confirmation">
            Replay <b>{plural(scope.count, 'dead letter')}</b> to <b>{where}</b>? Each is produced again with
            its key, value and original headers; the dead letters stay listed, marked replayed.
          </Alert>
          {replay.isError && (
            <Alert color="red" title="Replay failed">
              {replay.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button onClick={submit} loading={replay.isPending} disabled={!ready || scope.count === 0}>
              Replay {formatNumber(scope.count)} to {target === 'original' ? 'original topic' : where}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
