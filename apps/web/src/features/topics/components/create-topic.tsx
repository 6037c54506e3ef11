import { Button, Group, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ApiError } from '../../../lib/api';
import { useCreateTopic } from '../api/topics-api';
import { type Pair, PairRows, pairsToRecord } from './pair-rows';

const NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,249}$/;

/** Creates a topic on the configured cluster; the server's refusals land on the field they concern. */
export function CreateTopicModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (name: string) => void;
}) {
  const create = useCreateTopic();
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState<number>(1);
  const [configs, setConfigs] = useState<Pair[]>([]);
  const nameProblem = name !== '' && !NAME.test(name) ? 'Letters, digits, . _ and - only (up to 249)' : null;
  const error = create.error instanceof ApiError ? create.error : null;
  const fieldError = (field: string) => (error?.body.field === field ? error.message : null);
  const otherError =
    create.error && !['/name', '/partitions', '/configs'].includes(error?.body.field ?? '')
      ? create.error.message
      : null;
  const close = () => {
    create.reset();
    onClose();
  };
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!name || nameProblem) return;
    const entries = pairsToRecord(configs);
    create.mutate(
      { name, partitions, ...(Object.keys(entries).length > 0 ? { configs: entries } : {}) },
      {
        onSuccess: (detail) => {
          notifications.show({ color: 'teal', message: `Created topic ${detail.name}` });
          setName('');
          setPartitions(1);
          setConfigs([]);
          onCreated(detail.name);
        },
      },
    );
  };
  return (
    <Modal opened={opened} onClose={close} title="Create topic" centered>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <TextInput
            label="Name"
            placeholder="orders"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={nameProblem ?? fieldError('/name')}
            classNames={{ input: 'mono' }}
            data-autofocus
            required
          />
          <NumberInput
            label="Partitions"
            value={partitions}
            onChange={(v) => setPartitions(typeof v === 'number' ? v : 1)}
            min={1}
            max={10_000}
            allowDecimal={false}
            error={fieldError('/partitions')}
            w={140}
          />
          <PairRows
            label="Configs"
            rows={configs}
            onChange={setConfigs}
            namePlaceholder="retention.ms"
            valuePlaceholder="86400000"
          />
          {fieldError('/configs') && (
            <Text size="xs" c="red">
              {fieldError('/configs')}
            </Text>
          )}
          {otherError && (
            <Text size="sm" c="red" role="alert">
              {otherError}
            </Text>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!name || nameProblem !== null}>
              Create topic
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
