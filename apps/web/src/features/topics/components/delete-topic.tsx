import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { formatNumber } from '../../../lib/format';
import { useDeleteTopic } from '../api/topics-api';

/**
 * Deleting a topic loses its messages for every consumer: the confirmation names the topic and its
 * message count, and asks for the name to be typed.
 */
export function DeleteTopicModal({
  topic,
  messageCount,
  opened,
  onClose,
  onDeleted,
}: {
  topic: string;
  messageCount: number | undefined;
  opened: boolean;
  onClose: () => void;
  onDeleted?: () => void;
}) {
  const remove = useDeleteTopic();
  const [typed, setTyped] = useState('');
  const close = () => {
    setTyped('');
    remove.reset();
    onClose();
  };
  const confirm = () =>
    remove.mutate(topic, {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: `Deleted topic ${topic}` });
        setTyped('');
        onClose();
        onDeleted?.();
      },
    });
  return (
    <Modal opened={opened} onClose={close} title="Delete topic" centered>
      <Stack gap="sm">
        <Text size="sm">
          Delete <b className="mono">{topic}</b>
          {messageCount !== undefined ? ` and its ${formatNumber(messageCount)} messages` : ''}? Every
          consumer loses them; queries reading it fail or wait for it to come back. This cannot be undone.
        </Text>
        <TextInput
          label={`Type ${topic} to confirm`}
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          classNames={{ input: 'mono' }}
          data-autofocus
          autoComplete="off"
        />
        {remove.isError && (
          <Text size="sm" c="red" role="alert">
            {remove.error.message}
          </Text>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button color="red" disabled={typed !== topic} loading={remove.isPending} onClick={confirm}>
            Delete topic
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
