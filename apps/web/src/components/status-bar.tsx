import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { useReadiness } from '../features/health/api/get-readiness';
import { useVersion } from '../features/health/api/get-version';
import { formatDuration } from '../lib/format';
import { useLiveConnection } from '../lib/live';
import { useNow } from '../lib/use-now';

/** Server health, database and Kafka mode, and whether live updates are flowing. */
export function StatusBar() {
  const live = useLiveConnection();
  const readiness = useReadiness();
  const version = useVersion();
  const now = useNow();
  const healthy = readiness.data?.status === 'ready' && !readiness.isError;
  const healthLabel = readiness.isPending ? 'checking…' : healthy ? 'healthy' : 'unhealthy';
  const age = live.lastEventAt === null ? null : now - live.lastEventAt;
  return (
    <Group gap={8} wrap="nowrap" className="status-bar" role="status" aria-label="Server status" ml="auto">
      <Tooltip label={age === null ? 'No live event yet' : `Last live event ${formatDuration(age)} ago`}>
        <Badge
          variant="dot"
          color={live.connected ? 'teal' : 'red'}
          data-testid="live-status"
          tt="none"
          className={live.connected ? 'live-dot' : undefined}
        >
          {live.connected ? 'live' : 'offline'}
        </Badge>
      </Tooltip>
      <Badge
        variant="light"
        color={readiness.isPending ? 'gray' : healthy ? 'teal' : 'red'}
        data-testid="health-status"
        tt="none"
      >
        server {healthLabel}
      </Badge>
      {version.data && (
        <Group gap={8} wrap="nowrap" visibleFrom="md">
          <Badge variant="outline" color="gray" tt="none">
            db: {version.data.database === 'pg' ? 'Postgres' : 'PGlite (embedded)'}
          </Badge>
          <Badge variant="outline" color="gray" tt="none">
            kafka: {version.data.kafka.mode} ({version.data.kafka.bootstrap.join(', ')})
          </Badge>
          <Text size="xs" c="dimmed">
            v{version.data.version}
          </Text>
        </Group>
      )}
    </Group>
  );
}
