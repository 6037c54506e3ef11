import {
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { formatBytes } from '../../../lib/format';
import { type EncodedBytes, type Rendering, renderPayload } from '../../../lib/payload';
import type { TopicMessage } from '../api/topics-api';

const RENDERINGS = [
  { value: 'auto', label: 'Auto' },
  { value: 'text', label: 'Text' },
  { value: 'json', label: 'JSON' },
  { value: 'hex', label: 'Hex' },
];

function Payload({
  title,
  payload,
  rendering,
  maxHeight,
}: {
  title: string;
  payload: EncodedBytes | null;
  rendering: Rendering;
  maxHeight: number;
}) {
  const shown = renderPayload(payload, rendering);
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs">
        <Group gap={6}>
          <Text size="xs" fw={600}>
            {title}
          </Text>
          <Badge
            size="xs"
            variant="light"
            color={shown.as === 'hex' ? 'grape' : shown.as === 'json' ? 'blue' : 'gray'}
            tt="none"
          >
            {shown.as}
          </Badge>
          {payload && (
            <Text size="xs" c="dimmed">
              {formatBytes(shown.byteLength)}
            </Text>
          )}
        </Group>
        {payload && (
          <CopyButton value={shown.text}>
            {({ copied, copy }) => (
              <Button
                size="compact-xs"
                variant="subtle"
                onClick={copy}
                aria-label={`Copy ${title.toLowerCase()}`}
              >
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        )}
      </Group>
      {shown.problem && (
        <Text size="xs" c="orange">
          {shown.problem}
        </Text>
      )}
      <Code
        block
        aria-label={title}
        data-rendering={shown.as}
        style={{
          maxHeight,
          overflow: 'auto',
          fontSize: 11.5,
          // A hex dump's columns only line up unwrapped; text and JSON wrap to the panel.
          ...(shown.as === 'hex'
            ? { whiteSpace: 'pre' }
            : { whiteSpace: 'pre-wrap', wordBreak: 'break-all' }),
        }}
        c={payload === null ? 'dimmed' : undefined}
      >
        {shown.text}
      </Code>
    </Stack>
  );
}

/** One record whole: where it is, when, its key, value (as JSON, text or hex) and headers. */
export function MessageDetail({ message }: { message: TopicMessage }) {
  const [rendering, setRendering] = useLocalStorage<Rendering>({
    key: 'sluice.topics.rendering',
    defaultValue: 'auto',
  });
  const when = new Date(message.timestamp);
  return (
    <Paper withBorder p="sm" radius="sm" aria-label="Message" component="section">
      <Group justify="space-between" gap="xs" mb={8} wrap="wrap">
        <Stack gap={0}>
          <Text fw={700} size="sm">
            Partition <span className="mono">{message.partition}</span> · offset{' '}
            <span className="mono">{message.offset}</span>
          </Text>
          <Text size="xs" c="dimmed" className="mono" title={when.toString()}>
            {message.timestamp} · {when.toLocaleString()}
          </Text>
        </Stack>
        <SegmentedControl
          data={RENDERINGS}
          value={rendering}
          onChange={(v) => setRendering(v as Rendering)}
          aria-label="Render key and value as"
        />
      </Group>
      <Stack gap="sm">
        <Payload title="Key" payload={message.key} rendering={rendering} maxHeight={120} />
        <Payload title="Value" payload={message.value} rendering={rendering} maxHeight={420} />
        <Stack gap={4}>
          <Text size="xs" fw={600}>
            Headers · {message.headers.length}
          </Text>
          {message.headers.length === 0 ? (
            <Text size="xs" c="dimmed">
              No headers.
            </Text>
          ) : (
            <Table fz="xs" verticalSpacing={2} withTableBorder aria-label="Headers">
              <Table.Tbody>
                {message.headers.map((header, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: Kafka allows repeated header names; order is the identity.
                  <Table.Tr key={i}>
                    <Table.Td className="mono" w="35%">
                      {header.key}
                    </Table.Td>
                    <Table.Td className="mono" style={{ wordBreak: 'break-all' }}>
                      {renderPayload(header.value, rendering === 'json' ? 'auto' : rendering).text}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </Stack>
    </Paper>
  );
}
