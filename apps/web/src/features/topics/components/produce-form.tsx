import {
  Button,
  Drawer,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { prettyJson, validBase64 } from '../../../lib/payload';
import { type BytesInput, useProduce } from '../api/topics-api';
import { type Pair, PairRows, pairsToRecord } from './pair-rows';
import { fromLocalInput } from './time-input';

type ValueFormat = 'text' | 'base64';

/** Produces one record: key, value (text or base64 bytes), headers, partition and timestamp. */
export function ProduceDrawer({
  topic,
  partitions,
  opened,
  onClose,
  onProduced,
}: {
  topic: string;
  partitions: number;
  opened: boolean;
  onClose: () => void;
  onProduced: (at: { partition: number; offset: number }) => void;
}) {
  const produce = useProduce(topic);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [format, setFormat] = useState<ValueFormat>('text');
  const [partition, setPartition] = useState<string>('any');
  const [headers, setHeaders] = useState<Pair[]>([]);
  const [timestamp, setTimestamp] = useState('');
  const base64Problem = format === 'base64' && value !== '' && !validBase64(value) ? 'Not base64' : null;
  const json = format === 'text' && /^\s*[[{]/.test(value) ? prettyJson(value) : null;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (base64Problem) return;
    const body: BytesInput =
      format === 'base64' ? { encoding: 'base64', data: value.replace(/\s+/g, '') } : value;
    const headerRecord = pairsToRecord(headers);
    produce.mutate(
      {
        value: body,
        ...(key !== '' ? { key } : {}),
        ...(Object.keys(headerRecord).length > 0 ? { headers: headerRecord } : {}),
        ...(partition !== 'any' ? { partition: Number(partition) } : {}),
        ...(timestamp ? { timestamp: fromLocalInput(timestamp) } : {}),
      },
      {
        onSuccess: (at) => {
          // The next record starts from a clean form (a left-over header or time would be a surprise).
          setKey('');
          setValue('');
          setFormat('text');
          setPartition('any');
          setHeaders([]);
          setTimestamp('');
          notifications.show({
            color: 'teal',
            autoClose: 3000,
            title: `Produced to ${topic}`,
            message: `partition ${at.partition}, offset ${at.offset}`,
          });
          onProduced(at);
        },
      },
    );
  };

  return (
    <Drawer opened={opened} onClose={onClose} title={`Produce to ${topic}`} position="right" size="md">
      <form onSubmit={submit} aria-label="Produce a message">
        <Stack gap="sm">
          <Select
            label="Partition"
            data={[
              { value: 'any', label: 'Any (default partitioner)' },
              ...Array.from({ length: partitions }, (_, p) => ({
                value: String(p),
                label: `Partition ${p}`,
              })),
            ]}
            value={partition}
            onChange={(v) => setPartition(v ?? 'any')}
            allowDeselect={false}
          />
          <TextInput
            label="Key"
            description="UTF-8 text; empty sends no key"
            value={key}
            onChange={(e) => setKey(e.currentTarget.value)}
            classNames={{ input: 'mono' }}
          />
          <Stack gap={4}>
            <Group justify="space-between" align="flex-end">
              <Text size="xs" fw={500} component="label" htmlFor="produce-value">
                Value
              </Text>
              <SegmentedControl
                data={[
                  { value: 'text', label: 'Text' },
                  { value: 'base64', label: 'Base64 bytes' },
                ]}
                value={format}
                onChange={(v) => setFormat(v as ValueFormat)}
                aria-label="Value format"
              />
            </Group>
            <Textarea
              id="produce-value"
              aria-label="Value"
              value={value}
              onChange={(e) => setValue(e.currentTarget.value)}
              autosize
              minRows={6}
              maxRows={16}
              classNames={{ input: 'mono' }}
              placeholder={format === 'text' ? '{"id": 1, "amount": 9.5}' : 'AAH/QQ=='}
              error={base64Problem}
            />
            {json && (
              <Group gap={6}>
                <Text size="xs" c={json.json ? 'teal' : 'orange'}>
                  {json.json ? 'Valid JSON' : `Not valid JSON: ${json.error}`}
                </Text>
                {json.json && json.json !== value && (
                  <Button size="compact-xs" variant="subtle" onClick={() => setValue(json.json ?? value)}>
                    Format
                  </Button>
                )}
              </Group>
            )}
          </Stack>
          <PairRows label="Headers" rows={headers} onChange={setHeaders} namePlaceholder="trace-id" />
          <TextInput
            label="Timestamp"
            description="The record's create time; empty = now"
            type="datetime-local"
            step={1}
            value={timestamp}
            onChange={(e) => setTimestamp(e.currentTarget.value)}
          />
          {produce.isError && (
            <Text size="sm" c="red" role="alert">
              {produce.error.message}
            </Text>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Close
            </Button>
            <Button type="submit" loading={produce.isPending} disabled={base64Problem !== null}>
              Produce
            </Button>
          </Group>
        </Stack>
      </form>
    </Drawer>
  );
}
