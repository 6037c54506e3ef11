import { Group, Paper, SegmentedControl, Skeleton, Text } from '@mantine/core';
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatNumber } from '../../../lib/format';
import { type GroupBy, useDeadLetterCounts } from '../api/dead-letters-api';
import type { DeadLetterFilter } from '../filters';

const STAGE_COLOURS: Record<string, string> = { parse: '#ffa94d', eval: '#ff8787', sink: '#da77f2' };
const PALETTE = ['#4dabf7', '#38d9a9', '#ffa94d', '#da77f2', '#ff8787', '#ffd43b', '#94d82d', '#748ffc'];
const MAX_SERIES = 7;

function tickTime(iso: string, bucketSeconds: number): string {
  const d = new Date(iso);
  return bucketSeconds >= 86_400
    ? d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
    : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** Dead letters per time bucket, stacked by stage, query or error class, with the total as text. */
export function CountsChart({
  filter,
  groupBy,
  onGroupBy,
}: {
  filter: DeadLetterFilter;
  groupBy: GroupBy;
  onGroupBy: (g: GroupBy) => void;
}) {
  const counts = useDeadLetterCounts(filter, groupBy);
  const { data, series } = useMemo(() => {
    const result = counts.data;
    if (!result) return { data: [], series: [] as string[] };
    // The biggest groups get their own colour; the rest are summed as "other".
    const ranked = Object.entries(result.totals)
      .sort((a, b) => b[1] - a[1])
      .map(([g]) => g);
    const own = ranked.slice(0, MAX_SERIES);
    const hasOther = ranked.length > MAX_SERIES;
    const rows = result.buckets.map((b) => {
      const row: Record<string, number | string> = { time: b.time };
      for (const [g, n] of Object.entries(b.counts)) {
        const key = own.includes(g) ? g : 'other';
        row[key] = ((row[key] as number | undefined) ?? 0) + n;
      }
      return row;
    });
    return { data: rows, series: hasOther ? [...own, 'other'] : own };
  }, [counts.data]);
  const bucketSeconds = counts.data?.bucketSeconds ?? 60;
  const inRange = data.reduce(
    (n, row) => n + series.reduce((m, s) => m + ((row[s] as number | undefined) ?? 0), 0),
    0,
  );
  return (
    <Paper withBorder p={8} radius="sm" component="figure" m={0} aria-label="Dead letters over time">
      <Group justify="space-between" gap={6} mb={4} wrap="wrap">
        <Group gap={8} wrap="nowrap">
          <Text size="xs" fw={600} component="figcaption">
            Dead letters over time
          </Text>
          <Text size="xs" c="dimmed" className="num mono" data-testid="counts-total">
            {counts.data
              ? `${formatNumber(inRange)} in range · ${formatNumber(counts.data.total)} total`
              : '…'}
          </Text>
        </Group>
        <SegmentedControl
          size="xs"
          value={groupBy}
          onChange={(v) => onGroupBy(v as GroupBy)}
          aria-label="Group the chart by"
          data={[
            { value: 'stage', label: 'Stage' },
            { value: 'queryName', label: 'Query' },
            { value: 'errorClass', label: 'Error class' },
          ]}
        />
      </Group>
      <div style={{ height: 150 }}>
        {counts.isPending ? (
          <Skeleton height={150} />
        ) : data.length === 0 ? (
          <Text size="xs" c="dimmed" p="md">
            No dead letters {filter.from ? 'in this range' : 'in the last 24 hours'}.
          </Text>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} margin={{ top: 4, right: 6, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.25} vertical={false} />
              <XAxis
                dataKey="time"
                tick={{ fontSize: 10 }}
                tickLine={false}
                minTickGap={32}
                tickFormatter={(v: string) => tickTime(v, bucketSeconds)}
              />
              <YAxis tick={{ fontSize: 10 }} tickLine={false} width={40} allowDecimals={false} />
              <Tooltip
                labelFormatter={(label) =>
                  `${new Date(String(label)).toLocaleString()} (+${bucketSeconds} s)`
                }
                formatter={(value) => formatNumber(Number(value))}
                contentStyle={{
                  fontSize: 11,
                  background: 'var(--mantine-color-body)',
                  border: '1px solid var(--mantine-color-default-border)',
                }}
              />
              <Legend iconSize={8} wrapperStyle={{ fontSize: 10 }} />
              {series.map((s, i) => (
                <Bar
                  key={s}
                  dataKey={s}
                  name={s === '' ? '(no query)' : s}
                  stackId="dead"
                  fill={(groupBy === 'stage' ? STAGE_COLOURS[s] : undefined) ?? PALETTE[i % PALETTE.length]}
                  isAnimationActive={false}
                  maxBarSize={28}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        )}
      </div>
    </Paper>
  );
}
