import { Autocomplete, Group, Paper, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import type { OutputMode } from '../../../lib/sluice-types';
import type { EditorDraft, TriggerKind } from '../draft';
import { KeyValueEditor } from './key-value-editor';

const MODES: OutputMode[] = ['append', 'update', 'complete'];

/** Sink, output mode (only those the query allows) and trigger. */
export function RunSettings({
  draft,
  allowedModes,
  onChange,
}: {
  draft: EditorDraft;
  allowedModes: OutputMode[] | undefined;
  onChange: (patch: Partial<EditorDraft>) => void;
}) {
  return (
    <Paper withBorder p={8} radius="sm">
      <Group align="flex-start" gap="md" wrap="wrap">
        <Stack gap={6} style={{ flex: '1 1 260px' }}>
          <Autocomplete
            label="Sink format"
            data={['memory', 'kafka', 'console', 'json', 'csv', 'parquet']}
            value={draft.sinkFormat}
            onChange={(sinkFormat) => onChange({ sinkFormat })}
          />
          <KeyValueEditor
            label="Sink"
            rows={draft.sinkOptions}
            onChange={(sinkOptions) => onChange({ sinkOptions })}
          />
        </Stack>
        <Stack gap={4} style={{ flex: '0 1 auto' }}>
          <Text size="xs" fw={500} id="output-mode-label">
            Output mode
          </Text>
          <SegmentedControl
            aria-labelledby="output-mode-label"
            value={draft.outputMode}
            onChange={(value) => onChange({ outputMode: value as OutputMode })}
            data={MODES.map((mode) => ({
              value: mode,
              label: mode,
              disabled: allowedModes !== undefined && allowedModes.length > 0 && !allowedModes.includes(mode),
            }))}
          />
          <Text size="xs" c="dimmed">
            {allowedModes === undefined || allowedModes.length === 0
              ? 'Allowed modes appear once the query analyses.'
              : `This query allows: ${allowedModes.join(', ')}`}
          </Text>
        </Stack>
        <Stack gap={6} style={{ flex: '0 1 220px' }}>
          <Select
            label="Trigger"
            data={[
              { value: 'default', label: 'Default (as fast as possible)' },
              { value: 'processingTime', label: 'Processing time interval' },
              { value: 'availableNow', label: 'Available now (then stop)' },
              { value: 'once', label: 'Once (then stop)' },
            ]}
            value={draft.trigger}
            allowDeselect={false}
            onChange={(value) => value && onChange({ trigger: value as TriggerKind })}
          />
          {draft.trigger === 'processingTime' && (
            <TextInput
              label="Interval"
              placeholder="10 seconds"
              value={draft.interval}
              onChange={(e) => onChange({ interval: e.currentTarget.value })}
            />
          )}
        </Stack>
      </Group>
    </Paper>
  );
}
