import { ActionIcon, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import type { OptionRows } from '../draft';

/** Options as key/value rows; `label` names the owner in every field's accessible name. */
export function KeyValueEditor({
  label,
  rows,
  onChange,
  keyPlaceholder = 'option',
}: {
  label: string;
  rows: OptionRows;
  onChange: (rows: OptionRows) => void;
  keyPlaceholder?: string;
}) {
  const update = (index: number, at: 0 | 1, value: string) =>
    onChange(rows.map((row, i) => (i === index ? (at === 0 ? [value, row[1]] : [row[0], value]) : row)));
  return (
    <Stack gap={4}>
      <Text size="xs" fw={600}>
        Options
      </Text>
      {rows.map(([key, value], index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their position while typed.
        <Group key={index} gap={4} wrap="nowrap">
          <TextInput
            aria-label={`${label} option ${index + 1} key`}
            placeholder={keyPlaceholder}
            value={key}
            onChange={(e) => update(index, 0, e.currentTarget.value)}
            style={{ flex: 1 }}
            classNames={{ input: 'mono' }}
          />
          <TextInput
            aria-label={`${label} option ${index + 1} value`}
            placeholder="value"
            value={value}
            onChange={(e) => update(index, 1, e.currentTarget.value)}
            style={{ flex: 1 }}
            classNames={{ input: 'mono' }}
          />
          <ActionIcon
            aria-label={`Remove ${label} option ${index + 1}`}
            color="gray"
            onClick={() => onChange(rows.filter((_, i) => i !== index))}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      <Button
        variant="subtle"
        size="compact-xs"
        onClick={() => onChange([...rows, ['', '']])}
        style={{ alignSelf: 'flex-start' }}
      >
        Add {label.toLowerCase()} option
      </Button>
    </Stack>
  );
}
