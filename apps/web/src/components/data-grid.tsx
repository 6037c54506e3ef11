import { Text, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import { formatCell } from '../lib/format';
import type { ColumnSchema, Row } from '../lib/sluice-types';
import { nextSort, type SortState, sortRows } from '../lib/sort-rows';

const ROW_HEIGHT = 26;

function isNumeric(column: ColumnSchema): boolean {
  return /^(int|bigint|smallint|tinyint|double|float|decimal|long)/i.test(column.type);
}

function columnWidth(column: ColumnSchema): string {
  return isNumeric(column) ? 'minmax(90px, 0.6fr)' : 'minmax(140px, 1fr)';
}

const SORT_MARK = { asc: '▲', desc: '▼' } as const;

/**
 * Rows of a table with typed headers, virtualised so thousands of rows stay fluid; a long value is
 * cut with an ellipsis and shown whole on hover. `sortable` makes every header a button cycling
 * ascending → descending → unsorted (nulls stay last); `onRowClick` makes rows selectable (Enter too).
 */
export function DataGrid({
  schema,
  rows,
  height = 320,
  label,
  newestFirst = false,
  sortable = false,
  emptyText = 'No rows yet.',
  onRowClick,
  selectedRow,
}: {
  schema: ColumnSchema[];
  rows: readonly Row[];
  height?: number;
  label: string;
  newestFirst?: boolean;
  sortable?: boolean;
  emptyText?: string;
  onRowClick?: (row: Row) => void;
  selectedRow?: Row | null;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [sort, setSort] = useState<SortState | null>(null);
  const sorted = useMemo(() => sortRows(rows, schema, sort), [rows, schema, sort]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const template = schema.map(columnWidth).join(' ');
  // A chosen sort wins over the newest-first default.
  const reversed = newestFirst && sort === null;
  const rowAt = (index: number) => sorted[reversed ? sorted.length - 1 - index : index] ?? {};
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
            {schema.map((column) => {
              const direction = sort?.column === column.name ? sort.direction : null;
              const content = (
                <>
                  {column.name}
                  <span className="type">{column.type}</span>
                  {direction && (
                    <span className="sort-mark" aria-hidden="true">
                      {SORT_MARK[direction]}
                    </span>
                  )}
                </>
              );
              return (
                <th
                  className={`grid-cell${isNumeric(column) ? ' num' : ''}`}
                  key={column.name}
                  title={`${column.name} ${column.type}`}
                  aria-sort={
                    direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : undefined
                  }
                >
                  {sortable ? (
                    <UnstyledButton
                      className="sort-button"
                      onClick={() => setSort((current) => nextSort(current, column.name))}
                      aria-label={`Sort by ${column.name}`}
                    >
                      {content}
                    </UnstyledButton>
                  ) : (
                    content
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody style={{ height: rows.length === 0 ? undefined : virtualizer.getTotalSize() }}>
          {rows.length === 0 ? (
            <tr>
              <td>
                <Text size="xs" c="dimmed" p="sm">
                  {emptyText}
                </Text>
              </td>
            </tr>
          ) : (
            virtualizer.getVirtualItems().map((item) => {
              const row = rowAt(item.index);
              const selected = selectedRow !== undefined && selectedRow === row;
              return (
                <tr
                  key={item.key}
                  className={`grid-row${onRowClick ? ' clickable' : ''}${selected ? ' selected' : ''}`}
                  aria-rowindex={item.index + 2}
                  aria-selected={onRowClick ? selected : undefined}
                  tabIndex={onRowClick ? 0 : undefined}
                  onClick={onRowClick ? () => onRowClick(row) : undefined}
                  onKeyDown={
                    onRowClick
                      ? (e) => {
                          if (e.key === 'Enter') onRowClick(row);
                        }
                      : undefined
                  }
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
                    const value = row[column.name];
                    const text = formatCell(value);
                    return (
                      <td
                        className={`grid-cell mono${isNumeric(column) ? ' num' : ''}${value === null || value === undefined ? ' null' : ''}`}
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
