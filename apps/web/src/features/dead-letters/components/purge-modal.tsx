import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { formatNumber } from '../../../lib/format';
import { usePurge } from '../api/dead-letters-api';
import type { Scope } from './replay-modal';

/** Purge with a confirmation that says how many; the archived rows (and their replay records) are deleted. */
export function PurgeModal({
  scope,
  onClose,
  onPurged,
}: {
  scope: Scope | null;
  onClose: () => void;
  onPurged: () => void;
}) {
  const purge = usePurge();
  if (!scope) return null;
  const n = formatNumber(scope.count);
  return (
    <Modal opened onClose={onClose} title={<Text fw={700}>Purge dead letters</Text>}>
      <Stack gap="sm">
        <Alert color="red" variant="light" data-testid="purge-confirmation">
          Delete{' '}
          <b>
            {n} dead {scope.count === 1 ? 'letter' : 'letters'}
          </b>{' '}
          from Postgres? Their records stay in the dead-letter topics until the topics' retention removes
          them; this cannot be undone here.
        </Alert>
        {purge.isError && (
          <Alert color="red" title="Purge failed">
            {purge.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={purge.isPending}
            onClick={() =>
              purge.mutate(scope.selection, {
                onSuccess: ({ purged }) => {
                  notifications.show({
                    color: 'teal',
                    message: `Purged ${formatNumber(purged)} dead letters.`,
                  });
                  onPurged();
                  onClose();
                },
              })
            }
          >
            Purge {n}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
