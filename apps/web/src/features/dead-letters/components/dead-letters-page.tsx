import { Alert, Button, Checkbox, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { EmptyState } from '../../../components/empty-state';
import { formatNumber } from '../../../lib/format';
import { useNow } from '../../../lib/use-now';
import { useQueries } from '../../queries/api/list-queries';
import {
  type GroupBy,
  useDeadLetterCounts,
  useDeadLetterList,
  useDeadLettersRoom,
} from '../api/dead-letters-api';
import { filterFromUrl, isFiltered } from '../filters';
import { CountsChart } from './counts-chart';
import { DeadLetterDrawer } from './dead-letter-drawer';
import { DeadLetterList } from './dead-letter-list';
import { FiltersBar, type FilterValues } from './filters-bar';
import { PurgeModal } from './purge-modal';
import { ReplayModal, type Scope } from './replay-modal';

const FILTER_NAMES: (keyof FilterValues)[] = ['query', 'topic', 'stage', 'error', 'q', 'range', 'replayed'];

/**
 * Dead letters archived in Postgres: filters (in the URL), counts over time, the list, one dead
 * letter's detail (`?id=`), and replay or purge of the selected or all matching ones. Live: the
 * `dead-letters` room refreshes the list and counts as new ones are archived.
 */
export function DeadLettersPage() {
  useDeadLettersRoom();
  const [params, setParams] = useSearchParams();
  const now = useNow(60_000);
  // Recomputed when the URL changes or the minute turns (a relative range moves with the clock).
  const filter = useMemo(() => filterFromUrl(params, now), [params, now]);
  const [groupBy, setGroupBy] = useState<GroupBy>('stage');
  const list = useDeadLetterList(filter);
  const totals = useDeadLetterCounts(filter, 'errorClass');
  const queries = useQueries();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [replayScope, setReplayScope] = useState<Scope | null>(null);
  const [purgeScope, setPurgeScope] = useState<Scope | null>(null);
  const clock = useNow(5_000);

  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const matching = totals.data?.total ?? items.length;
  const openId = params.get('id') ?? undefined;
  const values = Object.fromEntries(FILTER_NAMES.map((n) => [n, params.get(n)])) as unknown as FilterValues;

  const setParam = (name: keyof FilterValues | 'id', value: string | null) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === null || value === '') next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: name !== 'id' },
    );
    if (name !== 'id') setSelected(new Set());
  };
  const clearFilters = () => {
    setParams(new URLSearchParams(openId ? { id: openId } : {}), { replace: true });
    setSelected(new Set());
  };
  const toggle = useCallback(
    (id: string) =>
      setSelected((current) => {
        const next = new Set(current);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const topicsOf = (ids: Iterable<string> | null) => {
    const wanted = ids ? new Set(ids) : null;
    const topics = new Set<string>();
    for (const i of items) if (i.sourceTopic && (!wanted || wanted.has(i.id))) topics.add(i.sourceTopic);
    return [...topics].sort();
  };
  const selectedScope = (): Scope => ({
    selection: { ids: [...selected] },
    count: selected.size,
    sourceTopics: topicsOf(selected),
  });
  const matchingScope = (): Scope => ({
    selection: { filter },
    count: matching,
    sourceTopics: topicsOf(null),
  });
  const oneScope = (id: string): Scope => ({
    selection: { ids: [id] },
    count: 1,
    sourceTopics: topicsOf([id]),
  });

  const queryNames = useMemo(() => {
    const names = new Set((queries.data ?? []).map((q) => q.name));
    for (const i of items) if (i.queryName) names.add(i.queryName);
    return [...names].sort();
  }, [queries.data, items]);
  const errorClasses = Object.keys(totals.data?.totals ?? {}).sort();
  const allLoadedSelected = items.length > 0 && items.every((i) => selected.has(i.id));
  const filtered = isFiltered(filter);

  return (
    <section aria-labelledby="page-title">
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs" align="flex-end">
        <Stack gap={0}>
          <Title order={1} id="page-title">
            Dead letters
          </Title>
          <Text size="xs" c="dimmed">
            Records the queries could not process, archived from their dead-letter topics.
          </Text>
        </Stack>
        <Group gap="xs">
          <Button
            size="xs"
            disabled={selected.size === 0 && matching === 0}
            onClick={() => setReplayScope(selected.size > 0 ? selectedScope() : matchingScope())}
          >
            {selected.size > 0
              ? `Replay ${formatNumber(selected.size)} selected…`
              : `Replay ${filtered ? 'all matching' : 'all'} (${formatNumber(matching)})…`}
          </Button>
          <Button
            size="xs"
            variant="default"
            disabled={selected.size === 0 && matching === 0}
            onClick={() => setPurgeScope(selected.size > 0 ? selectedScope() : matchingScope())}
          >
            {selected.size > 0 ? `Purge ${formatNumber(selected.size)} selected…` : 'Purge matching…'}
          </Button>
        </Group>
      </Group>
      <Stack gap="sm">
        <FiltersBar
          values={values}
          onChange={setParam}
          onClear={clearFilters}
          queryNames={queryNames}
          errorClasses={errorClasses}
        />
        <CountsChart filter={filter} groupBy={groupBy} onGroupBy={setGroupBy} />
        {list.isPending ? (
          <Skeleton height={320} aria-label="Loading dead letters" />
        ) : list.isError ? (
          <Alert color="red" title="Could not load the dead letters">
            {list.error.message}{' '}
            <Button size="compact-xs" variant="light" onClick={() => list.refetch()}>
              Retry
            </Button>
          </Alert>
        ) : items.length === 0 ? (
          filtered ? (
            <EmptyState
              title="No dead letters match"
              action={
                <Button size="xs" variant="light" onClick={clearFilters}>
                  Clear filters
                </Button>
              }
            >
              Nothing archived matches these filters. Widen the time range or clear a filter.
            </EmptyState>
          ) : (
            <EmptyState title="No dead letters">
              When a query cannot parse a record, evaluate an expression on it or write it out, the record
              goes to the query's dead-letter topic (<code>&lt;query&gt;.dlq</code>) with the reason, and
              appears here within seconds.
            </EmptyState>
          )
        ) : (
          <Stack gap={4}>
            <Group gap="xs" justify="space-between" wrap="wrap">
              <Checkbox
                size="xs"
                label={
                  allLoadedSelected
                    ? `All ${formatNumber(items.length)} shown selected`
                    : `Select the ${formatNumber(items.length)} shown`
                }
                checked={allLoadedSelected}
                indeterminate={selected.size > 0 && !allLoadedSelected}
                onChange={() => setSelected(allLoadedSelected ? new Set() : new Set(items.map((i) => i.id)))}
              />
              <Text size="xs" c="dimmed" data-testid="matching-count">
                {formatNumber(matching)} matching
                {selected.size > 0 ? ` · ${formatNumber(selected.size)} selected` : ''}
              </Text>
            </Group>
            <DeadLetterList
              items={items}
              hasMore={hasNextPage}
              loadMore={loadMore}
              selected={selected}
              onToggle={toggle}
              openId={openId}
              onOpen={(id) => setParam('id', id)}
              now={clock}
            />
          </Stack>
        )}
      </Stack>
      <DeadLetterDrawer
        id={openId}
        onClose={() => setParam('id', null)}
        onReplay={(id) => setReplayScope(oneScope(id))}
        onPurge={(id) => setPurgeScope(oneScope(id))}
      />
      <ReplayModal scope={replayScope} onClose={() => setReplayScope(null)} />
      <PurgeModal
        scope={purgeScope}
        onClose={() => setPurgeScope(null)}
        onPurged={() => {
          setSelected(new Set());
          if (
            purgeScope &&
            'ids' in purgeScope.selection &&
            openId &&
            purgeScope.selection.ids.includes(openId)
          )
            setParam('id', null);
        }}
      />
    </section>
  );
}
