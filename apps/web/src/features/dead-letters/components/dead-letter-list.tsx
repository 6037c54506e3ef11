import { Badge, Checkbox, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { formatMoment } from '../../../lib/format';
import type { DeadLetterSummary } from '../api/dead-letters-api';
import { StageBadge } from './stage-badge';

const ROW_HEIGHT = 30;

/**
 * The dead letters matching the filter, newest first, virtualised (only the rows in view are in the
 * DOM); reaching the end loads the next page. A row opens the detail; its checkbox selects it for a
 * replay or purge.
 */
export function DeadLetterList({
  items,
  hasMore,
  loadMore,
  selected,
  onToggle,
  openId,
  onOpen,
  now,
}: {
  items: DeadLetterSummary[];
  hasMore: boolean;
  loadMore: () => void;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  openId: string | undefined;
  onOpen: (id: string) => void;
  now: number;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems.at(-1)?.index ?? -1;
  useEffect(() => {
    if (hasMore && lastIndex >= items.length - 1) loadMore();
  }, [hasMore, lastIndex, items.length, loadMore]);

  return (
    <div
      ref={scrollRef}
      className="grid-scroll dl-list"
      style={{ height: 'max(320px, calc(100dvh - 470px))' }}
    >
      <table className="grid-table" aria-label="Dead letters" aria-rowcount={items.length + 1}>
        <thead className="grid-head">
          <tr className="grid-row dl-row" aria-rowindex={1}>
            <th className="grid-cell" aria-label="Selected" />
            <th className="grid-cell">Failed</th>
            <th className="grid-cell dl-wide">Query</th>
            <th className="grid-cell">Stage</th>
            <th className="grid-cell dl-wide">Error class</th>
            <th className="grid-cell dl-message">Message</th>
            <th className="grid-cell dl-wide">Source</th>
            <th className="grid-cell">
              <span className="dl-long">Replays</span>
              <span className="dl-short" title="Replays">
                ↻
              </span>
            </th>
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {virtualItems.map((item) => {
            const dl = items[item.index];
            if (!dl) {
              return (
                <tr
                  key="more"
                  className="grid-row"
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    transform: `translateY(${item.start}px)`,
                  }}
                >
                  <td>
                    <Text size="xs" c="dimmed" px="sm">
                      Loading more…
                    </Text>
                  </td>
                </tr>
              );
            }
            const open = dl.id === openId;
            return (
              <tr
                key={dl.id}
                aria-rowindex={item.index + 2}
                aria-selected={open}
                tabIndex={0}
                className={`grid-row dl-row clickable${open ? ' selected' : ''}`}
                data-testid="dead-letter-row"
                data-id={dl.id}
                onClick={() => onOpen(dl.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') onOpen(dl.id);
                  if (e.key === ' ') {
                    e.preventDefault();
                    onToggle(dl.id);
                  }
                }}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW_HEIGHT,
                  transform: `translateY(${item.start}px)`,
                }}
              >
                {/* biome-ignore lint/a11y/useKeyWithClickEvents: the row handles Space; this only keeps the click from opening the row */}
                <td className="grid-cell" onClick={(e) => e.stopPropagation()}>
                  <Checkbox
                    size="xs"
                    checked={selected.has(dl.id)}
                    onChange={() => onToggle(dl.id)}
                    aria-label={`Select dead letter ${dl.dlqTopic}@${dl.dlqPartition}:${dl.dlqOffset}`}
                    tabIndex={-1}
                  />
                </td>
                <td className="grid-cell mono" title={new Date(dl.failedAt).toLocaleString()}>
                  {formatMoment(dl.failedAt, now)}
                </td>
                <td className="grid-cell dl-wide" title={dl.queryName ?? ''}>
                  {dl.queryName ?? <span className="dimmed">–</span>}
                </td>
                <td className="grid-cell">
                  <StageBadge stage={dl.stage} />
                </td>
                <td className="grid-cell mono dl-wide" title={dl.errorClass}>
                  {dl.errorClass}
                </td>
                <td className="grid-cell dl-message" title={dl.errorMessage}>
                  {dl.errorMessage}
                </td>
                <td
                  className="grid-cell mono dl-wide"
                  title={
                    dl.sourceTopic
                      ? `${dl.sourceTopic} partition ${dl.sourcePartition} offset ${dl.sourceOffset}`
                      : ''
                  }
                >
                  {dl.sourceTopic ? `${dl.sourceTopic}[${dl.sourcePartition}]@${dl.sourceOffset}` : '–'}
                </td>
                <td className="grid-cell">
                  {dl.replayCount > 0 ? (
                    <span
                      data-testid="replayed-badge"
                      title={`Replayed ${dl.replayCount} time${dl.replayCount === 1 ? '' : 's'}, last ${dl.lastReplayedAt ? new Date(dl.lastReplayedAt).toLocaleString() : ''}`}
                    >
                      <Badge size="xs" variant="light" color="teal" tt="none" className="dl-long">
                        replayed{dl.replayCount > 1 ? ` ×${dl.replayCount}` : ''}
                      </Badge>
                      <Text span size="xs" c="teal" fw={700} className="dl-short">
                        ✓{dl.replayCount > 1 ? dl.replayCount : ''}
                      </Text>
                    </span>
                  ) : (
                    <Text size="xs" c="dimmed" span>
                      –
                    </Text>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
