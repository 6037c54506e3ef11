import { ActionIcon, Button, Code, CopyButton, Group, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import { formatBytes, formatDuration, formatNumber, formatRate, formatTime } from '../../../lib/format';
import type { StreamingQueryProgress } from '../../../lib/sluice-types';
import { batchMetrics } from '../progress-metrics';

const HEADERS = [
  '',
  'Batch',
  'Time',
  'Rows',
  'Input/s',
  'Processed/s',
  'Duration',
  'addBatch',
  'State rows',
  'State memory',
];
const COLUMNS = '36px 64px 104px 72px 88px 104px 80px 80px 88px 104px';
const HEAD_HEIGHT = 28;

interface BatchRowProps {
  progress: StreamingQueryProgress;
  open: boolean;
  onToggle: () => void;
  index: number;
  start: number;
  measure: (element: HTMLElement | null) => void;
}

/** One batch as its own tbody: the summary row and, when expanded, its raw progress JSON. */
function BatchRow({ progress, open, onToggle, index, start, measure }: BatchRowProps) {
  const b = batchMetrics(progress);
  const json = open ? JSON.stringify(progress, null, 2) : '';
  const cells = [
    formatTime(b.timestamp),
    formatNumber(b.numInputRows),
    formatRate(b.inputRate),
    formatRate(b.processedRate),
    formatDuration(b.batchDuration),
    formatDuration(b.durations.addBatch),
    formatNumber(b.stateRowsTotal),
    formatBytes(b.stateMemoryBytes),
  ];
  return (
    <tbody
      ref={measure}
      data-index={index}
      className="batch-item"
      style={{ transform: `translateY(${start + HEAD_HEIGHT}px)` }}
    >
      <tr className="grid-row" style={{ gridTemplateColumns: COLUMNS }}>
        <td className="grid-cell">
          <ActionIcon
            onClick={onToggle}
            aria-expanded={open}
            aria-label={`${open ? 'Collapse' : 'Expand'} batch ${b.batchId}`}
            size="xs"
          >
            {open ? '▾' : '▸'}
          </ActionIcon>
        </td>
        <th scope="row" className="grid-cell num mono">
          {b.batchId}
        </th>
        {cells.map((text, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed; the index is the column.
          <td key={i} className={`grid-cell${i === 0 ? ' mono' : ' num'}`}>
            {text}
          </td>
        ))}
      </tr>
      {open && (
        <tr className="grid-detail">
          <td>
            <Group justify="space-between" mb={4}>
              <Text size="xs" c="dimmed">
                Progress of batch {b.batchId} (Spark's StreamingQueryProgress JSON)
              </Text>
              <CopyButton value={json}>
                {({ copied, copy }) => (
                  <Button
                    size="compact-xs"
                    variant="light"
                    onClick={copy}
                    aria-label={`Copy progress JSON of batch ${b.batchId}`}
                  >
                    {copied ? 'Copied' : 'Copy JSON'}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Code block style={{ maxHeight: 320, overflow: 'auto', fontSize: 11 }}>
              {json}
            </Code>
          </td>
        </tr>
      )}
    </tbody>
  );
}

/** Every batch, newest first, virtualised; a row expands to its raw progress JSON. */
export function BatchTable({ history }: { history: StreamingQueryProgress[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState<Set<number>>(() => new Set());
  const newestFirst = [...history].reverse();
  const virtualizer = useVirtualizer({
    count: newestFirst.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 27,
    overscan: 10,
    getItemKey: (index) => newestFirst[index]?.batchId ?? index,
  });
  const toggle = (batchId: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(batchId)) next.delete(batchId);
      else next.add(batchId);
      return next;
    });
  return (
    <div ref={scrollRef} className="grid-scroll" style={{ maxHeight: 360 }}>
      <table
        className="grid-table batch-table"
        aria-label="Batches"
        aria-rowcount={history.length + 1}
        style={{ height: HEAD_HEIGHT + (newestFirst.length === 0 ? 40 : virtualizer.getTotalSize()) }}
      >
        <thead className="grid-head">
          <tr className="grid-row" style={{ gridTemplateColumns: COLUMNS, height: HEAD_HEIGHT }}>
            {HEADERS.map((h, i) => (
              <th key={h || 'toggle'} className={`grid-cell${i === 0 || i === 2 ? '' : ' num'}`}>
                {h || <span className="visually-hidden">Expand</span>}
              </th>
            ))}
          </tr>
        </thead>
        {newestFirst.length === 0 ? (
          <tbody>
            <tr>
              <td>
                <Text size="xs" c="dimmed" p="sm">
                  No batch has run yet. Batches appear here as soon as the query triggers.
                </Text>
              </td>
            </tr>
          </tbody>
        ) : (
          virtualizer.getVirtualItems().map((item) => {
            const progress = newestFirst[item.index];
            if (!progress) return null;
            return (
              <BatchRow
                key={item.key}
                index={item.index}
                start={item.start}
                measure={virtualizer.measureElement}
                progress={progress}
                open={open.has(progress.batchId)}
                onToggle={() => toggle(progress.batchId)}
              />
            );
          })
        )}
      </table>
    </div>
  );
}
