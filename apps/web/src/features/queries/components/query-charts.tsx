import { SimpleGrid } from '@mantine/core';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatBytes, formatDuration, formatNumber, formatRate } from '../../../lib/format';
import { type BatchMetrics, DURATION_PHASES } from '../progress-metrics';
import { ChartCard } from './chart-card';

const SYNC_ID = 'query-batches';
const palette = ['#4dabf7', '#38d9a9', '#ffa94d', '#da77f2', '#ff8787', '#ffd43b', '#94d82d'];

type Formatter = (value: number | null | undefined) => string;

interface Series {
  key: string;
  name: string;
  value: (b: BatchMetrics) => number | null;
}

function axisProps(format: Formatter) {
  return {
    x: <XAxis dataKey="batchId" tick={{ fontSize: 10 }} tickLine={false} minTickGap={24} />,
    y: (
      <YAxis
        tick={{ fontSize: 10 }}
        tickLine={false}
        width={52}
        tickFormatter={(v: number) => format(v)}
        allowDecimals={false}
      />
    ),
    tooltip: (
      <Tooltip
        formatter={(value) => format(typeof value === 'number' ? value : Number(value))}
        labelFormatter={(label) => `batch ${label}`}
        contentStyle={{
          fontSize: 11,
          background: 'var(--mantine-color-body)',
          border: '1px solid var(--mantine-color-default-border)',
        }}
      />
    ),
  };
}

function LinesChart({
  batches,
  series,
  format,
}: {
  batches: BatchMetrics[];
  series: Series[];
  format: Formatter;
}) {
  const data = batches.map((b) => {
    const row: Record<string, number | null> = { batchId: b.batchId };
    for (const s of series) row[s.key] = s.value(b);
    return row;
  });
  const axes = axisProps(format);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} syncId={SYNC_ID} margin={{ top: 4, right: 6, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.25} />
        {axes.x}
        {axes.y}
        {axes.tooltip}
        {series.length > 1 && <Legend iconSize={8} wrapperStyle={{ fontSize: 10 }} />}
        {series.map((s, i) => (
          <Line
            key={s.key}
            dataKey={s.key}
            name={s.name}
            stroke={palette[i % palette.length]}
            dot={false}
            strokeWidth={1.5}
            isAnimationActive={false}
            connectNulls
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

function PhasesChart({ batches }: { batches: BatchMetrics[] }) {
  const phases = DURATION_PHASES.filter((p) => batches.some((b) => b.durations[p] !== undefined));
  const data = batches.map((b) => {
    const row: Record<string, number> = { batchId: b.batchId };
    for (const p of phases) row[p] = b.durations[p] ?? 0;
    return row;
  });
  const axes = axisProps(formatDuration);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <AreaChart data={data} syncId={SYNC_ID} margin={{ top: 4, right: 6, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.25} />
        {axes.x}
        {axes.y}
        {axes.tooltip}
        <Legend iconSize={8} wrapperStyle={{ fontSize: 10 }} />
        {phases.map((p, i) => (
          <Area
            key={p}
            dataKey={p}
            stackId="phases"
            stroke={palette[i % palette.length]}
            fill={palette[i % palette.length]}
            fillOpacity={0.35}
            isAnimationActive={false}
          />
        ))}
      </AreaChart>
    </ResponsiveContainer>
  );
}

/** Every chart of a query on one batch axis (hovering one shows the same batch on all). */
export function QueryCharts({ batches }: { batches: BatchMetrics[] }) {
  const last = batches.at(-1);
  const line = (title: string, format: Formatter, series: Series[], latest?: string) => (
    <ChartCard
      title={title}
      latest={latest ?? series.map((s) => (last ? format(s.value(last)) : '–')).join(' / ')}
    >
      <LinesChart batches={batches} series={series} format={format} />
    </ChartCard>
  );
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }} spacing={8}>
      {line('Input vs processed rate (rows/s)', formatRate, [
        { key: 'input', name: 'input', value: (b) => b.inputRate },
        { key: 'processed', name: 'processed', value: (b) => b.processedRate },
      ])}
      {line('Input rows per batch', formatNumber, [
        { key: 'rows', name: 'rows', value: (b) => b.numInputRows },
      ])}
      <ChartCard title="Batch duration by phase" latest={formatDuration(last?.batchDuration)}>
        <PhasesChart batches={batches} />
      </ChartCard>
      {line('Watermark gap (batch time − watermark)', formatDuration, [
        { key: 'gap', name: 'gap', value: (b) => b.watermarkGapMs },
      ])}
      {line('State rows (total / updated)', formatNumber, [
        { key: 'total', name: 'total', value: (b) => b.stateRowsTotal },
        { key: 'updated', name: 'updated', value: (b) => b.stateRowsUpdated },
      ])}
      {line('State memory', formatBytes, [
        { key: 'memory', name: 'memory', value: (b) => b.stateMemoryBytes },
      ])}
      {line('Rows dropped by watermark', formatNumber, [
        { key: 'dropped', name: 'dropped', value: (b) => b.droppedByWatermark },
      ])}
      {line('Offsets behind latest', formatNumber, [
        { key: 'lag', name: 'lag', value: (b) => b.offsetsBehind },
      ])}
      {line('Dead letters per batch', formatNumber, [
        { key: 'dead', name: 'dead letters', value: (b) => b.deadLetters },
      ])}
      {line('End-to-end latency (batch time − event time)', formatDuration, [
        { key: 'max', name: 'to max', value: (b) => b.latencyMaxMs },
        { key: 'avg', name: 'to avg', value: (b) => b.latencyAvgMs },
      ])}
    </SimpleGrid>
  );
}
