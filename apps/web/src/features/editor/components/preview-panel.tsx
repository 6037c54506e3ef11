import { Alert, Badge, Button, Group, Text } from '@mantine/core';
import { DataGrid } from '../../../components/data-grid';
import { formatNumber } from '../../../lib/format';
import { useRoom, useSocketEvent } from '../../../lib/live';
import type { ColumnSchema, Row, TableRowsEvent } from '../../../lib/sluice-types';
import { applyRowsEvent } from '../../../lib/table-rows';
import { useNow } from '../../../lib/use-now';

export interface PreviewState {
  id: string;
  table: string;
  schema: ColumnSchema[];
  rows: Row[];
  startedAt: number;
  stopped: boolean;
  maxRows: number;
  maxSeconds: number;
}

/** Applies a `rows` event of the preview's table (replace, append or upsert, as the server says). */
export function applyPreviewRows(preview: PreviewState, event: TableRowsEvent): PreviewState {
  if (event.table !== preview.table) return preview;
  const rows = applyRowsEvent(preview.rows, event);
  return { ...preview, schema: event.schema.length > 0 ? event.schema : preview.schema, rows };
}

/** The preview's rows filling live from `table:<table>`, with a stop button. */
export function PreviewPanel({
  preview,
  error,
  onRows,
  onStop,
  stopping,
}: {
  preview: PreviewState | null;
  error: string | null;
  onRows: (event: TableRowsEvent) => void;
  onStop: () => void;
  stopping: boolean;
}) {
  useRoom(preview ? `table:${preview.table}` : undefined);
  useSocketEvent<TableRowsEvent>('rows', (event) => {
    if (preview && event.table === preview.table) onRows(event);
  });
  const now = useNow();
  if (error)
    return (
      <Alert color="red" title="The preview could not start">
        {error}
      </Alert>
    );
  if (!preview) {
    return (
      <Text size="sm" c="dimmed" p="xs">
        Preview runs the query against its sources into a temporary memory table and streams the rows here
        (Ctrl/Cmd-Enter or the Preview button). Nothing is written to the sink.
      </Text>
    );
  }
  const elapsed = (now - preview.startedAt) / 1000;
  const done = preview.stopped || elapsed >= preview.maxSeconds || preview.rows.length >= preview.maxRows;
  return (
    <>
      <Group justify="space-between" mb={4} gap="xs">
        <Group gap="xs">
          <Badge
            color={done ? 'gray' : 'teal'}
            variant={done ? 'light' : 'dot'}
            tt="none"
            data-testid="preview-status"
          >
            {done ? 'preview stopped' : 'preview running'}
          </Badge>
          <Text size="xs" c="dimmed" data-testid="preview-count">
            {formatNumber(preview.rows.length)} rows · stops by itself after {formatNumber(preview.maxRows)}{' '}
            rows or {preview.maxSeconds} s
          </Text>
        </Group>
        <Button
          size="compact-xs"
          color="red"
          variant="light"
          disabled={done}
          loading={stopping}
          onClick={onStop}
        >
          Stop preview
        </Button>
      </Group>
      <DataGrid schema={preview.schema} rows={preview.rows} label="Preview rows" height={300} />
    </>
  );
}
