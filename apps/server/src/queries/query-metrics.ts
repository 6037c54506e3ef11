import { Gauge, type Registry } from 'prom-client';

interface ProgressLike {
  inputRowsPerSecond?: unknown;
  processedRowsPerSecond?: unknown;
  batchDuration?: unknown;
  stateOperators?: unknown;
}

/** Per-query Prometheus gauges (labelled by query name) fed by progress, plus the active-query count. */
export class QueryMetrics {
  private readonly inputRate: Gauge<'query'>;
  private readonly processedRate: Gauge<'query'>;
  private readonly batchDuration: Gauge<'query'>;
  private readonly stateRows: Gauge<'query'>;

  constructor(
    registry: Registry,
    activeCount: () => number,
    deadLetterCounts: () => Promise<Map<string, number>>,
  ) {
    const gauge = (name: string, help: string) =>
      new Gauge({ name, help, labelNames: ['query'] as const, registers: [registry] });
    this.inputRate = gauge('sluice_query_input_rows_per_second', 'inputRowsPerSecond of the last progress');
    this.processedRate = gauge(
      'sluice_query_processed_rows_per_second',
      'processedRowsPerSecond of the last progress',
    );
    this.batchDuration = gauge('sluice_query_batch_duration_ms', 'batchDuration of the last progress (ms)');
    this.stateRows = gauge(
      'sluice_query_state_rows',
      'rows in the state stores (sum of stateOperators numRowsTotal)',
    );
    new Gauge({
      name: 'sluice_query_dead_letters_total',
      help: 'dead letters archived per query',
      labelNames: ['query'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const [query, count] of await deadLetterCounts()) this.set({ query }, count);
      },
    });
    new Gauge({
      name: 'sluice_queries_active',
      help: 'running queries and previews',
      registers: [registry],
      collect() {
        this.set(activeCount());
      },
    });
  }

  record(query: string, progress: ProgressLike | object): void {
    const p = progress as ProgressLike;
    const number = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    this.inputRate.set({ query }, number(p.inputRowsPerSecond));
    this.processedRate.set({ query }, number(p.processedRowsPerSecond));
    this.batchDuration.set({ query }, number(p.batchDuration));
    const operators = Array.isArray(p.stateOperators) ? p.stateOperators : [];
    this.stateRows.set(
      { query },
      operators.reduce((sum: number, op: { numRowsTotal?: unknown }) => sum + number(op?.numRowsTotal), 0),
    );
  }

  forget(query: string): void {
    for (const g of [this.inputRate, this.processedRate, this.batchDuration, this.stateRows])
      g.remove({ query });
  }
}
