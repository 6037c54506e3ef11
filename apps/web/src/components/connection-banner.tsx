import { Alert } from '@mantine/core';
import { useReadiness } from '../features/health/api/get-readiness';
import { useLiveConnection } from '../lib/live';

/** A banner while the server cannot be reached or the live socket is down; both retry by themselves. */
export function ConnectionBanner() {
  const { connected } = useLiveConnection();
  const readiness = useReadiness();
  const serverDown = readiness.isError;
  const databaseDown = readiness.data?.status === 'unavailable';
  if (!serverDown && !databaseDown && connected) return null;
  const message = serverDown
    ? 'The server cannot be reached. Retrying every few seconds; what you see may be out of date.'
    : databaseDown
      ? `The server is up but not ready (database: ${readiness.data?.checks.database.error ?? 'unavailable'}).`
      : 'Live updates are disconnected. Reconnecting; charts and tables resume without a reload.';
  return (
    <Alert color={serverDown ? 'red' : 'yellow'} variant="light" radius={0} py={6} role="alert" title={null}>
      {message}
    </Alert>
  );
}
