import { ActionIcon, Button, Group, Stack, Text, TextInput } from '@mantine/core';

export type Pair = [string, string];

/** Name/value rows (headers, topic configs); `label` names the owner in every field's accessible name. */
export function PairRows({
  label,
  rows,
  onChange,
  namePlaceholder,
  valuePlaceholder = 'value',
}: {
  label: string;
  rows: Pair[];
  onChange: (rows: Pair[]) => void;
  namePlaceholder: string;
  valuePlaceholder?: string;
}) {
  const update = (index: number, at: 0 | 1, value: string) =>
    onChange(rows.map((row, i) => (i === index ? (at === 0 ? [value, row[1]] : [row[0], value]) : row)));
  return (
    <Stack gap={4}>
      <Text size="xs" fw={600}>
        {label}
      </Text>
      {rows.map(([name, value], index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their position while typed.
        <Group key={index} gap={4} wrap="nowrap">
          <TextInput
            aria-label={`${label} ${index + 1} name`}
            placeholder={namePlaceholder}
            value={name}
            onChange={(e) => update(index, 0, e.currentTarget.value)}
            style={{ flex: 1 }}
            classNames={{ input: 'mono' }}
          />
          <TextInput
            aria-label={`${label} ${index + 1} value`}
            placeholder={valuePlaceholder}
            value={value}
            onChange={(e) => update(index, 1, e.currentTarget.value)}
            style={{ flex: 1 }}
            classNames={{ input: 'mono' }}
          />
          <ActionIcon
            aria-label={`Remove ${label.toLowerCase()} ${index + 1}`}
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
        Add {label.toLowerCase().replace(/s$/, '')}
      </Button>
    </Stack>
  );
}

/** The filled rows as an object (rows without a name are left out). */
export function pairsToRecord(rows: Pair[]): Record<string, string> {
  return Object.fromEntries(rows.filter(([name]) => name.trim() !== '').map(([n, v]) => [n.trim(), v]));
}
