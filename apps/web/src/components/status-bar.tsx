import { useReadiness } from '../features/health/api/get-readiness';
import { useVersion } from '../features/health/api/get-version';
import { useLiveConnection } from '../lib/live';

/** Server health, database and Kafka mode, and whether live updates are flowing. */
export function StatusBar() {
  const live = useLiveConnection();
  const readiness = useReadiness();
  const version = useVersion();
  const healthy = readiness.data?.status === 'ready';
  const healthLabel = readiness.isPending ? 'checking…' : healthy ? 'healthy' : 'unhealthy';
  return (
    <div className="status-bar" role="status" aria-label="Server status">
      <span className={`pill ${live ? 'ok' : 'bad'}`} data-testid="live-status">
        <span className="dot" aria-hidden="true" />
        {live ? 'live' : 'offline'}
      </span>
      <span
        className={`pill ${healthy ? 'ok' : readiness.isPending ? '' : 'bad'}`}
        data-testid="health-status"
      >
        server {healthLabel}
      </span>
      {version.data && (
        <>
          <span className="pill">
            db: {version.data.database === 'pg' ? 'Postgres' : 'PGlite (embedded)'}
          </span>
          <span className="pill">
            kafka: {version.data.kafka.mode} ({version.data.kafka.bootstrap.join(', ')})
          </span>
          <span className="muted">v{version.data.version}</span>
        </>
      )}
    </div>
  );
}
