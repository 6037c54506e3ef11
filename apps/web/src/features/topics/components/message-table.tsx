import { ScrollArea, Stack, Table } from '@mantine/core';
import { formatMoment } from '../../../lib/format';
import { payloadPreview } from '../../../lib/payload';
import type { TopicMessage } from '../api/topics-api';
import { messageId } from '../browse';

/** Messages as compact rows; a row (click or Enter) selects the message for the detail panel. */
export function MessageTable({
  messages,
  selected,
  onSelect,
  label,
  empty,
}: {
  messages: readonly TopicMessage[];
  selected: string | null;
  onSelect: (message: TopicMessage) => void;
  label: string;
  empty: React.ReactNode;
}) {
  return (
    <ScrollArea.Autosize mah={560} type="auto" className="grid-scroll">
      <Table
        fz="xs"
        verticalSpacing={3}
        horizontalSpacing={8}
        highlightOnHover
        stickyHeader
        aria-label={label}
        className="message-table"
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th className="num" w={44}>
              Part.
            </Table.Th>
            <Table.Th className="num" w={70}>
              Offset
            </Table.Th>
            <Table.Th w={164}>Time</Table.Th>
            <Table.Th w="18%">Key</Table.Th>
            <Table.Th>Value</Table.Th>
            <Table.Th className="num" w={36} title="Headers">
              H
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {messages.map((message) => {
            const id = messageId(message);
            const isSelected = id === selected;
            return (
              <Table.Tr
                key={id}
                className={`clickable${isSelected ? ' selected' : ''}`}
                aria-selected={isSelected}
                tabIndex={0}
                onClick={() => onSelect(message)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') onSelect(message);
                }}
              >
                <Table.Td className="num mono">{message.partition}</Table.Td>
                <Table.Td className="num mono">{message.offset}</Table.Td>
                <Table.Td className="mono cell-clip" title={message.timestamp}>
                  {formatMoment(message.timestamp)}
                </Table.Td>
                <Table.Td className="mono cell-clip" c={message.key === null ? 'dimmed' : undefined}>
                  {payloadPreview(message.key, 60)}
                </Table.Td>
                <Table.Td className="mono cell-clip" c={message.value === null ? 'dimmed' : undefined}>
                  {payloadPreview(message.value)}
                </Table.Td>
                <Table.Td className="num">{message.headers.length || ''}</Table.Td>
              </Table.Tr>
            );
          })}
          {messages.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={6}>
                <Stack gap={6} align="center" py="sm">
                  {empty}
                </Stack>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
