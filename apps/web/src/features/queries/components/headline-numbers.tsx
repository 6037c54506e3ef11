import { Anchor, Paper, SimpleGrid, Text } from '@mantine/core';
import { Link } from 'react-router';
import { formatBytes, formatDuration, formatNumber, formatRate } from '../../../lib/format';
import { type BatchMetrics, fallingBehind, lagGrowing, percentile } from '../progress-metrics';

function Stat({
  label,
  value,
  warn = false,
  hint,
}: {
  label: string;
  value: string;
  warn?: boolean;
  hint?: string;
}) {
  return (
    <Paper withBorder px={10} py={6} radius="sm" title={hint}>
      <Text size="xs" c="dimmed" className="truncate">
        {label}
      </Text>
      <Text
        fw={700}
        size="lg"
        className="num"
        ta="left"
        c={warn ? 'orange' : undefined}
        data-testid={`stat-${label}`}
      >
        {value}
      </Text>
    </Paper>
  );
}

/** The numbers an on-call engineer reads first, over the batches on screen. */
export function HeadlineNumbers({
  batches,
  deadLetters,
}: {
  batches: BatchMetrics[];
  /** The query's archived dead letters and the link to their list. */
  deadLetters?: { count: number | undefined; href: string };
}) {
  const last = batches.at(-1);
  const durations = batches.map((b) => b.batchDuration);
  return (
    <SimpleGrid cols={{ base: 2, xs: 4, lg: 8 }} spacing={6}>
      <Stat label="Input/s" value={formatRate(last?.inputRate)} />
      <Stat
        label="Processed/s"
        value={formatRate(last?.processedRate)}
        warn={fallingBehind(batches)}
        hint="Orange when processing is below input for 3 batches"
      />
      <Stat
        label="Lag (offsets)"
        value={formatNumber(last?.offsetsBehind)}
        warn={lagGrowing(batches)}
        hint="Offsets behind latest over all Kafka partitions"
      />
      <Stat
        label="Batch p50 / p99"
        value={`${formatDuration(percentile(durations, 50))} / ${formatDuration(percentile(durations, 99))}`}
      />
      <Stat label="Watermark gap" value={formatDuration(last?.watermarkGapMs)} />
      <Stat
        label="State rows"
        value={formatNumber(last?.stateRowsTotal)}
        hint={`State memory ${formatBytes(last?.stateMemoryBytes)}`}
      />
      <Stat label="Batches" value={formatNumber(last ? last.batchId + 1 : 0)} />
      {deadLetters ? (
        <Anchor
          component={Link}
          to={deadLetters.href}
          underline="never"
          aria-label="Dead letters of this query"
        >
          <Stat
            label="Dead letters"
            value={deadLetters.count === undefined ? '–' : formatNumber(deadLetters.count)}
            warn={(deadLetters.count ?? 0) > 0}
            hint="Archived dead letters of this query: open the filtered list"
          />
        </Anchor>
      ) : (
        <Stat label="Dead letters" value="–" />
      )}
    </SimpleGrid>
  );
}
