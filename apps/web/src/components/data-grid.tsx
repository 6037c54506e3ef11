import { Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { formatCell } from '../lib/format';
import type { ColumnSchema, Row } from '../lib/sluice-types';

const ROW_HEIGHT = 26;

function columnWidth(column: ColumnSchema): string {
  const numeric = /^(int|bigint|smallint|tinyint|double|float|decimal|long)/i.test(column.type);
  return numeric ? 'minmax(90px, 0.6fr)' : 'minmax(140px, 1fr)';
}

/**
 * Rows of a table with typed headers, virtualised so thousands of rows stay fluid; a long value is
 * cut with an ellipsis and shown whole on hover.
 */
export function DataGrid({
  schema,
  rows,
  height = 320,
  label,
  newestFirst = false,
}: {
  schema: ColumnSchema[];
  rows: Row[];
  height?: number;
  label: string;
  newestFirst?: boolean;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const template = schema.map(columnWidth).join(' ');
  const rowAt = (index: number) => rows[newestFirst ? rows.length - 1 - index : index] ?? {};
  return (
    <div
      ref={scrollRef}
      className="grid-scroll"
      style={{ height: Math.min(height, 30 + Math.max(rows.length, 2) * ROW_HEIGHT) }}
    >
      <table
        className="grid-table"
        aria-label={label}
        aria-rowcount={rows.length + 1}
        style={{ minWidth: schema.length * 120 }}
      >
        <thead className="grid-head">
          <tr className="grid-row" style={{ gridTemplateColumns: template }}>
            {schema.map((column) => (
              <th className="grid-cell" key={column.name} title={`${column.name} ${column.type}`}>
                {column.name}
                <span className="type">{column.type}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody style={{ height: rows.length === 0 ? undefined : virtualizer.getTotalSize() }}>
          {rows.length === 0 ? (
            <tr>
              <td>
                <Text size="xs" c="dimmed" p="sm">
                  No rows yet.
                </Text>
              </td>
            </tr>
          ) : (
            virtualizer.getVirtualItems().map((item) => {
              const row = rowAt(item.index);
              return (
                <tr
                  key={item.key}
                  className="grid-row"
                  aria-rowindex={item.index + 2}
                  style={{
                    gridTemplateColumns: template,
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: ROW_HEIGHT,
                    transform: `translateY(${item.start}px)`,
                  }}
                >
                  {schema.map((column) => {
                    const text = formatCell(row[column.name]);
                    return (
                      <td
                        className="grid-cell mono"
                        key={column.name}
                        title={text.length > 24 ? text : undefined}
                      >
                        {text}
                      </td>
                    );
                  })}
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
