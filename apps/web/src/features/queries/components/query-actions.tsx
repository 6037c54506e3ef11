import { Button, Checkbox, Group, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { QueryView } from '../../../lib/sluice-types';
import { useDeleteQuery } from '../api/delete-query';
import { useRestartQuery } from '../api/restart-query';
import { useStartQuery } from '../api/start-query';
import { useStopQuery } from '../api/stop-query';

function notifyFailure(action: string, name: string) {
  return (error: Error) =>
    notifications.show({ color: 'red', title: `Could not ${action} ${name}`, message: error.message });
}

function DeleteConfirmation({ name, onCheckpoint }: { name: string; onCheckpoint: (v: boolean) => void }) {
  const [checked, setChecked] = useState(false);
  return (
    <>
      <Text size="sm" mb="sm">
        Delete the query <b>{name}</b>? A running query is stopped first. Its progress history and runs are
        deleted.
      </Text>
      <Checkbox
        label="Also delete its checkpoint (a new query with this spec would start from scratch)"
        checked={checked}
        onChange={(e) => {
          setChecked(e.currentTarget.checked);
          onCheckpoint(e.currentTarget.checked);
        }}
      />
    </>
  );
}

/** Start / stop / restart / edit / delete for one query; `compact` labels stay short in table rows. */
export function QueryActions({
  query,
  compact = false,
  showEdit = false,
}: {
  query: QueryView;
  compact?: boolean;
  showEdit?: boolean;
}) {
  const navigate = useNavigate();
  const start = useStartQuery();
  const stop = useStopQuery();
  const restart = useRestartQuery();
  const remove = useDeleteQuery();
  const active = query.status === 'running' || query.status === 'starting';
  const busy = query.status === 'starting' || query.status === 'stopping';
  const pending = start.isPending || stop.isPending || restart.isPending || remove.isPending;
  const label = (verb: string) => (compact ? `${verb} ${query.name}` : verb);

  const confirmDelete = () => {
    let checkpoint = false;
    modals.openConfirmModal({
      title: 'Delete query',
      children: <DeleteConfirmation name={query.name} onCheckpoint={(v) => (checkpoint = v)} />,
      labels: { confirm: 'Delete', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        remove.mutate(
          { id: query.id, checkpoint },
          {
            onSuccess: () => {
              notifications.show({ message: `Deleted ${query.name}` });
              if (!compact) navigate('/queries');
            },
            onError: notifyFailure('delete', query.name),
          },
        ),
    });
  };
  const size = compact ? 'compact-xs' : 'xs';
  return (
    <Group gap={4} wrap="nowrap">
      {active ? (
        <Button
          size={size}
          variant="light"
          color="yellow"
          aria-label={label('Stop')}
          loading={stop.isPending}
          disabled={pending || busy}
          onClick={() => stop.mutate(query.id, { onError: notifyFailure('stop', query.name) })}
        >
          Stop
        </Button>
      ) : (
        <Button
          size={size}
          variant="light"
          color="teal"
          aria-label={label('Start')}
          loading={start.isPending}
          disabled={pending || busy}
          onClick={() => start.mutate(query.id, { onError: notifyFailure('start', query.name) })}
        >
          Start
        </Button>
      )}
      <Button
        size={size}
        variant="light"
        aria-label={label('Restart')}
        loading={restart.isPending}
        disabled={pending || busy}
        onClick={() => restart.mutate(query.id, { onError: notifyFailure('restart', query.name) })}
      >
        Restart
      </Button>
      {showEdit && (
        <Button
          size={size}
          variant="default"
          aria-label={label('Edit')}
          disabled={active || busy}
          title={active ? 'Stop the query to edit it' : undefined}
          onClick={() => navigate(`/queries/${query.id}/edit`)}
        >
          Edit
        </Button>
      )}
      <Button
        size={size}
        variant="subtle"
        color="red"
        aria-label={label('Delete')}
        loading={remove.isPending}
        disabled={pending}
        onClick={confirmDelete}
      >
        Delete
      </Button>
    </Group>
  );
}
