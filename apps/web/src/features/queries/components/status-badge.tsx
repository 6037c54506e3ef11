import { Badge } from '@mantine/core';
import type { QueryStatus } from '../../../lib/sluice-types';

const colors: Record<QueryStatus, string> = {
  running: 'teal',
  starting: 'blue',
  stopping: 'yellow',
  stopped: 'gray',
  failed: 'red',
  finished: 'indigo',
};

export function StatusBadge({ status }: { status: QueryStatus }) {
  return (
    <Badge
      color={colors[status]}
      variant={status === 'running' ? 'filled' : 'light'}
      size="sm"
      tt="none"
      miw="max-content"
      styles={{ label: { overflow: 'visible' } }}
    >
      {status}
    </Badge>
  );
}
