import { Autocomplete, Button, Group, Paper, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { SourceFormat } from '../../../lib/sluice-types';
import { defaultSourceOptions, type SourceDraft } from '../draft';
import { KeyValueEditor } from './key-value-editor';

const FORMATS: SourceFormat[] = ['kafka', 'rate', 'rate-micro-batch', 'memory', 'file', 'socket'];

interface SourceFormProps {
  index: number;
  source: SourceDraft;
  columns: { name: string; type: string }[] | undefined;
  onChange: (source: SourceDraft) => void;
  onRemove: (() => void) | undefined;
  onInsert: (text: string) => void;
}

/** One source: alias, format, options, schema, Kafka value format and watermark; its columns click to insert. */
export function SourceForm({ index, source, columns, onChange, onRemove, onInsert }: SourceFormProps) {
  const label = `Source ${index + 1}`;
  const set = (patch: Partial<SourceDraft>) => onChange({ ...source, ...patch });
  return (
    <Paper withBorder p={8} radius="sm" component="fieldset" m={0} aria-label={label}>
      <Stack gap={6}>
        <Group gap={6} wrap="nowrap" align="flex-end">
          <TextInput
            label="Alias"
            aria-label={`${label} alias`}
            value={source.alias}
            onChange={(e) => set({ alias: e.currentTarget.value })}
            style={{ flex: 1 }}
            classNames={{ input: 'mono' }}
          />
          <Select
            label="Format"
            aria-label={`${label} format`}
            data={FORMATS}
            value={source.format}
            allowDeselect={false}
            onChange={(value) => {
              if (!value) return;
              const format = value as SourceFormat;
              // Options the operator typed are kept; the previous format's untouched defaults are swapped.
              const untouched =
                JSON.stringify(source.options) ===
                  JSON.stringify(defaultSourceOptions[source.format] ?? []) ||
                source.options.every(([k, v]) => !k && !v);
              const keepOptions = !untouched;
              set({ format, options: keepOptions ? source.options : (defaultSourceOptions[format] ?? []) });
            }}
            w={140}
          />
        </Group>
        <KeyValueEditor label={label} rows={source.options} onChange={(options) => set({ options })} />
        {source.format === 'kafka' && (
          <Select
            label="Value format"
            aria-label={`${label} value format`}
            description="How `value` is parsed with the schema"
            data={[
              { value: 'raw', label: 'raw (Kafka columns)' },
              { value: 'json', label: 'JSON' },
              { value: 'csv', label: 'CSV' },
            ]}
            value={source.valueFormat}
            allowDeselect={false}
            onChange={(value) => value && set({ valueFormat: value as SourceDraft['valueFormat'] })}
          />
        )}
        {source.format !== 'rate' && source.format !== 'rate-micro-batch' && (
          <Textarea
            label="Schema (DDL)"
            aria-label={`${label} schema`}
            placeholder="user STRING, amount DOUBLE, ts TIMESTAMP"
            value={source.schema}
            onChange={(e) => set({ schema: e.currentTarget.value })}
            autosize
            minRows={1}
            maxRows={4}
            classNames={{ input: 'mono' }}
          />
        )}
        <Group gap={6} wrap="nowrap">
          <Autocomplete
            label="Watermark column"
            aria-label={`${label} watermark column`}
            data={(columns ?? []).filter((c) => c.type.startsWith('timestamp')).map((c) => c.name)}
            value={source.watermarkColumn}
            onChange={(watermarkColumn) => set({ watermarkColumn })}
            style={{ flex: 1 }}
          />
          <TextInput
            label="Delay"
            aria-label={`${label} watermark delay`}
            placeholder="10 seconds"
            value={source.watermarkDelay}
            onChange={(e) => set({ watermarkDelay: e.currentTarget.value })}
            style={{ flex: 1 }}
          />
        </Group>
        {columns && columns.length > 0 && (
          <div>
            <Text size="xs" fw={600} mb={2}>
              Columns
            </Text>
            <Group gap={4}>
              {columns.map((c) => (
                <Button
                  key={c.name}
                  size="compact-xs"
                  variant="default"
                  onClick={() => onInsert(c.name)}
                  aria-label={`Insert column ${c.name}`}
                  title={`${c.name} ${c.type} — click to insert`}
                >
                  <span className="mono">{c.name}</span>
                  <Text span size="xs" c="dimmed" ml={4}>
                    {c.type}
                  </Text>
                </Button>
              ))}
            </Group>
          </div>
        )}
        {onRemove && (
          <Button
            size="compact-xs"
            variant="subtle"
            color="red"
            onClick={onRemove}
            style={{ alignSelf: 'flex-end' }}
          >
            Remove {label.toLowerCase()}
          </Button>
        )}
      </Stack>
    </Paper>
  );
}
