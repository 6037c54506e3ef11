import type { PhysicalOperator } from '../exec/operator.js';
import { treeString } from '../exec/operator.js';
import { planPhysical } from '../exec/planner.js';
import type { BoundPlan, BoundStreamingScan, EventTimeStats } from '../plan/bound-plan.js';
import { boundChildren, isStreamingPlan, withChildren } from '../plan/bound-plan.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import type { OutputMode } from '../sinks/sink.js';
import type { Row, StructType } from '../types/data-type.js';
import { chunkRows, EventLoopYielder } from './chunks.js';
import { eventTimeColumnOf, eventTimeKey } from './operators/event-time.js';
import {
  createStatefulOperator,
  type StatefulOperatorConfig,
  streamStreamJoinConfig,
} from './operators/index.js';
import { sessionAggregateConfig } from './operators/session-window-plan.js';
import type {
  BatchInfo,
  RowSource,
  StatefulOperator,
  StatefulOperatorContext,
} from './operators/stateful-operator.js';
import type { StateOperatorProgress } from './progress.js';
import {
  assertStateLayout,
  assertStateSchemas,
  type StoreSchema,
  writeOperatorMetadata,
} from './state-layout.js';
import { type StateSchema, writeStateSchema } from './state-source/spark-schema.js';
import { describeState } from './state-source/state-schema.js';

/**
 * Rows one scan of the incremental plan reads: the whole batch (or, for a source read in chunks,
 * the chunks as they arrive), and the chunk being driven.
 */
interface Slot {
  rows: Row[];
  chunks?: AsyncIterator<Row[]> | undefined;
  current: readonly Row[];
}

/** One input of a stateful operator: the stateless plan that feeds it. */
interface StageInput {
  readonly plan: PhysicalOperator;
  /** The slots the input plan reads (sources or lower stages' outputs). */
  readonly slots: Slot[];
  /** Whether the input plan is row-local, so it can be driven chunk by chunk. */
  readonly chunked: boolean;
}

/**
 * A stateful operator with the stateless plans that feed it (docs/decisions/0002): one input, or
 * two for a stream-stream join (driven left first, then right).
 */
interface Stage {
  readonly op: StatefulOperator;
  readonly inputs: StageInput[];
  /**
   * Fed by another stateful operator: its input is what the operator below finalized in this very
   * batch, so it is never late (what Spark's watermark propagation achieves for chained operators).
   */
  readonly downstream: boolean;
  readonly out: Slot;
}

interface Transformed {
  plan: BoundPlan;
  slots: Slot[];
  chunked: boolean;
}

const EMPTY: readonly Row[] = [];

/** Operators whose output for a chunk is exactly their output for those rows (row-local). */
const ROW_LOCAL = new Set<BoundPlan['kind']>([
  'scan',
  'streamingScan',
  'project',
  'filter',
  'generate',
  'windowExpand',
  'expand',
  'union',
  'watermark',
]);

/**
 * The incremental plan of a streaming query, planned once per query run: the analyzed plan with
 * each streaming leaf replaced by a scan of the current micro-batch's rows and each stateful node
 * (streaming aggregation, deduplication) replaced by a scan of its operator's output. The plan is
 * cut into stages at the stateful operators, in any number and position (dedup then aggregate,
 * chained window aggregations); each operator has its own operator id (in plan order, bottom-up)
 * and its own sharded state. Per batch, stages run bottom-up: the stateless plan below an
 * operator is driven chunk by chunk (at most `chunkRows()` rows) into the operator, yielding to the
 * event loop between chunks; the operator's output is the input of the stage above; the part above
 * the last operators produces the sink's rows. Expressions are compiled once, at planning.
 */
export class IncrementalExecution {
  /** Streaming leaves in plan order (source i of the offsets log is leaves[i]). */
  readonly leaves: BoundStreamingScan[];
  readonly statefulOperators: StatefulOperator[] = [];
  /** One entry per `withWatermark` over a stream, reset at the start of every batch. */
  readonly eventTimeStats: EventTimeStats[] = [];
  private readonly sourceSlots: Slot[];
  private readonly stages: Stage[] = [];
  private readonly root: PhysicalOperator;
  private readonly rootSlots: Slot[];
  private readonly rootChunked: boolean;
  private readonly configs: StatefulOperatorConfig[] = [];
  /** Each operator's key/value schemas, written once for the `statestore` data source. */
  private readonly stateSchemas: (StateSchema | undefined)[] = [];

  constructor(
    readonly bound: BoundPlan,
    readonly outputSchema: StructType,
    readonly outputMode: OutputMode = 'append',
  ) {
    this.leaves = collectLeaves(bound);
    this.sourceSlots = this.leaves.map(() => ({ rows: [], current: EMPTY }));
    const t = this.transform(bound);
    this.root = planPhysical(t.plan);
    this.rootSlots = t.slots;
    this.rootChunked = t.chunked;
  }

  /**
   * True when every source's rows go through a row-local (chunked) plan — into a stateful operator
   * or to the sink — so a batch can be read and processed chunk by chunk without ever holding
   * all of it (`runBatchStreaming`).
   */
  get streamable(): boolean {
    const consumers = [
      ...this.stages.flatMap((st) => st.inputs.map((i) => ({ slots: i.slots, chunked: i.chunked }))),
      { slots: this.rootSlots, chunked: this.rootChunked },
    ];
    return this.sourceSlots.every((slot) => {
      const users = consumers.filter((c) => c.slots.includes(slot));
      return users.length === 1 && users[0]!.chunked;
    });
  }

  /**
   * Runs one micro-batch over sources read in chunks (`streamable` plans only): each source's
   * chunks are driven through the plan as they arrive, and the sink's rows are handed to `emit`
   * chunk by chunk, so memory stays bounded by the chunk size and the operators' state.
   */
  async runBatchStreaming(
    inputs: readonly AsyncIterable<Row[]>[],
    info: BatchInfo,
    emit: (rows: Row[]) => Promise<void>,
  ): Promise<void> {
    for (let i = 0; i < this.sourceSlots.length; i++) {
      const slot = this.sourceSlots[i]!;
      slot.rows = [];
      slot.chunks = inputs[i]?.[Symbol.asyncIterator]();
    }
    try {
      await this.runStages(info, [], emit);
    } finally {
      for (const s of this.sourceSlots) {
        s.rows = [];
        s.chunks = undefined;
      }
      for (const st of this.stages) st.out.rows = [];
    }
  }

  /** True when the query has a watermark (event-time stats are tracked). */
  get hasWatermark(): boolean {
    return this.eventTimeStats.length > 0;
  }

  private transform(p: BoundPlan): Transformed {
    if (!isStreamingPlan(p)) return { plan: p, slots: [], chunked: true };
    if (p.kind === 'streamingScan') {
      const slot = this.sourceSlots[this.leaves.indexOf(p)]!;
      return {
        plan: slotScan(`MicroBatchScan ${p.leaf.sourceName}`, p.output, slot, p.leaf),
        slots: [slot],
        chunked: true,
      };
    }
    if (p.kind === 'watermark') return this.watermark(p);
    if (isStatefulNode(p)) {
      // The children first: operator ids are assigned bottom-up, in the order stages run.
      const ts = statefulInputs(p).map((c) => this.transform(c));
      const config = this.statefulConfig(p)!;
      const op = createStatefulOperator(config);
      const out: Slot = { rows: [], current: EMPTY };
      const downstream = ts.some((t) => t.slots.some((s) => this.stages.some((st) => st.out === s)));
      this.stages.push({
        op,
        inputs: ts.map((t) => ({ plan: planPhysical(t.plan), slots: t.slots, chunked: t.chunked })),
        out,
        downstream,
      });
      this.statefulOperators.push(op);
      this.configs.push(config);
      this.stateSchemas.push(describeState(p, config));
      const label = op.name === 'stateStoreSave' ? 'StateStoreSave' : op.display();
      return { plan: slotScan(label, p.output, out), slots: [out], chunked: true };
    }
    const children = boundChildren(p).map((c) => this.transform(c));
    return {
      plan: withChildren(
        p,
        children.map((c) => c.plan),
      ),
      slots: children.flatMap((c) => c.slots),
      chunked: ROW_LOCAL.has(p.kind) && children.every((c) => c.chunked),
    };
  }

  /** The stateful operator a node becomes, if it is one (one case per operator kind). */
  private statefulConfig(p: BoundPlan): StatefulOperatorConfig | undefined {
    const operatorId = this.stages.length;
    switch (p.kind) {
      case 'aggregate': {
        if (!isStreamingPlan(p.child)) return undefined;
        if (p.child.kind === 'sessionWindow')
          return sessionAggregateConfig(p, p.child, operatorId, this.outputMode);
        const et = eventTimeKey(p.groupings, p.child);
        return {
          kind: 'aggregate',
          operatorId,
          groupings: p.groupings,
          aggregates: p.aggregates,
          outputMode: this.outputMode,
          ...(et ? { eventTimeKey: et } : {}),
        };
      }
      case 'distinct':
      case 'deduplicate': {
        if (!isStreamingPlan(p.child)) return undefined;
        const keys = p.kind === 'distinct' ? p.child.output.map((_, i) => i) : p.keys;
        const withinWatermark = p.kind === 'deduplicate' && p.withinWatermark;
        const et = eventTimeColumnOf(p.child);
        const keyIndex = et ? keys.indexOf(et.index) : -1;
        return {
          kind: 'dedup',
          operatorId,
          keys,
          withinWatermark,
          label: withinWatermark ? 'DeduplicateWithinWatermark' : 'Deduplicate',
          ...(et ? { eventTime: et } : {}),
          ...(keyIndex >= 0 ? { eventTimeKeyIndex: keyIndex } : {}),
        };
      }
      case 'groupsWithState': {
        if (!isStreamingPlan(p.child)) return undefined;
        const et = eventTimeColumnOf(p.child);
        if (p.spec.transform)
          return { kind: 'transformWithState', operatorId, spec: p.spec, ...(et ? { eventTime: et } : {}) };
        return { kind: 'flatMapGroupsWithState', operatorId, spec: p.spec, ...(et ? { eventTime: et } : {}) };
      }
      case 'join':
        return isStreamingPlan(p.left) && isStreamingPlan(p.right)
          ? { kind: 'streamStreamJoin', ...streamStreamJoinConfig(p, operatorId) }
          : undefined;
      default:
        return undefined;
    }
  }

  /**
   * A `withWatermark` marker counts the event-time column's min/max/sum as rows pass (Spark's
   * EventTimeWatermarkExec statistics), per chunk; it stays in the plan, so a fused pipeline counts
   * inline instead of materializing the rows below it.
   */
  private watermark(p: Extract<BoundPlan, { kind: 'watermark' }>): Transformed {
    const t = this.transform(p.child);
    const stats: EventTimeStats = { delayMs: p.delayMs, min: Infinity, max: -Infinity, sum: 0, count: 0 };
    this.eventTimeStats.push(stats);
    return { plan: { ...p, child: t.plan, stats }, slots: t.slots, chunked: t.chunked };
  }

  /** True when a stateful operator wants a batch without new data (watermark eviction, timeouts). */
  needsNoDataBatch(watermarkMs: number): boolean {
    return this.statefulOperators.some((op) => op.needsNoDataBatch(watermarkMs));
  }

  /** Checks the checkpoint's state layout against this plan, then opens the operators. */
  open(ctx: StatefulOperatorContext): void {
    assertStateLayout(ctx.stateDir, this.statefulOperators, ctx.numShards);
    if (ctx.stateSchemaCheck !== false) assertStateSchemas(ctx.stateDir, this.storeSchemas());
    for (const op of this.statefulOperators) op.open(ctx);
    this.openedCtx = ctx;
  }

  private openedCtx: StatefulOperatorContext | undefined;
  private metadataWritten = false;

  /**
   * Runs one micro-batch: `inputs[i]` are the rows of leaf i. Resolves to the rows for the sink.
   * Stages run bottom-up, each driven chunk by chunk.
   */
  async runBatch(inputs: readonly Row[][], info: BatchInfo): Promise<Row[]> {
    for (let i = 0; i < this.sourceSlots.length; i++) this.sourceSlots[i]!.rows = inputs[i] ?? [];
    try {
      const parts: Row[][] = [];
      await this.runStages(info, parts);
      return parts.length === 1 ? parts[0]! : concat(parts);
    } finally {
      for (const s of this.sourceSlots) s.rows = [];
      for (const st of this.stages) st.out.rows = [];
    }
  }

  /**
   * The stages bottom-up, then the part above them: its rows are collected into `parts`, or handed
   * to `emit` chunk by chunk.
   */
  private async runStages(
    info: BatchInfo,
    parts: Row[][],
    emit?: (rows: Row[]) => Promise<void>,
  ): Promise<void> {
    for (const st of this.eventTimeStats) {
      st.min = Infinity;
      st.max = -Infinity;
      st.sum = 0;
      st.count = 0;
    }
    const yielder = new EventLoopYielder();
    for (const stage of this.stages) {
      const out: Row[] = [];
      const push = (row: Row): void => {
        out.push(row);
      };
      stage.op.startBatch(stage.downstream ? { ...info, lateWatermarkMs: 0 } : info);
      for (let i = 0; i < stage.inputs.length; i++) {
        const input = stage.inputs[i]!;
        await drive(input.plan, input.slots, input.chunked, yielder, (rows) =>
          stage.op.processChunk(rows, push, i),
        );
      }
      stage.op.finishBatch(push);
      stage.out.rows = out;
    }
    await drive(this.root, this.rootSlots, this.rootChunked, yielder, undefined, parts, emit);
  }

  /** Commits the stateful operators' state for the batch; returns their progress entries. */
  commitState(): StateOperatorProgress[] {
    const out = this.statefulOperators.map((op) => op.commit());
    if (this.openedCtx && !this.metadataWritten && this.statefulOperators.length > 0) {
      writeOperatorMetadata(this.openedCtx.stateDir, this.statefulOperators, this.openedCtx.numShards);
      for (const s of this.storeSchemas())
        writeStateSchema(this.openedCtx.stateDir, s.operatorId, s.schema, s.storeName);
      this.metadataWritten = true;
    }
    return out;
  }

  /** Every state store of the plan's operators with its key and value schema. */
  private storeSchemas(): StoreSchema[] {
    return this.statefulOperators.flatMap((op, i) => {
      const stores = op.stateSchemas?.();
      if (stores) return stores.map((s) => ({ operatorId: op.operatorId, ...s }));
      const schema = this.stateSchemas[i];
      return schema ? [{ operatorId: op.operatorId, storeName: 'default', schema }] : [];
    });
  }

  abortState(): void {
    for (const op of this.statefulOperators) op.abort();
  }

  close(): void {
    for (const op of this.statefulOperators) op.close();
  }

  /** The physical plan as EXPLAIN prints it. */
  explainString(outputMode: OutputMode): string {
    const lines = [treeString(this.root)];
    for (let i = this.stages.length - 1; i >= 0; i--) {
      const stage = this.stages[i]!;
      lines.push(`${stage.op.display()}, outputMode = ${outputMode}`);
      for (const input of stage.inputs) lines.push(treeString(input.plan).replace(/^/gm, '   '));
    }
    return lines.join('\n');
  }
}

/**
 * Drives `plan` over the rows of its slots: chunk by chunk when it is row-local (yielding to the
 * event loop between chunks), else over the whole batch at once. Each chunk's rows go to
 * `onChunk` as a push source, or are collected into `parts` when `onChunk` is undefined.
 */
async function drive(
  plan: PhysicalOperator,
  slots: readonly Slot[],
  chunked: boolean,
  yielder: EventLoopYielder,
  onChunk: ((rows: RowSource) => void) | undefined,
  parts?: Row[][],
  emit?: (rows: Row[]) => Promise<void>,
): Promise<void> {
  const run = async (): Promise<void> => {
    if (onChunk) onChunk((sink) => plan.forEachRow(sink));
    else {
      const rows = plan.execute();
      if (emit) {
        if (rows.length > 0) await emit(rows);
      } else if (rows.length > 0 || parts!.length === 0) parts!.push(rows);
    }
  };
  if (!chunked || slots.length === 0) {
    // A whole-batch plan: a source read in chunks is gathered first.
    for (const s of slots) {
      if (s.chunks) {
        for (let r = await s.chunks.next(); !r.done; r = await s.chunks.next())
          for (const x of r.value) s.rows.push(x);
        s.chunks = undefined;
      }
      s.current = s.rows;
    }
    try {
      await run();
    } finally {
      for (const s of slots) s.current = EMPTY;
    }
    return;
  }
  let ranOnce = false;
  const size = chunkRows();
  const runSlices = async (s: Slot, all: readonly Row[]): Promise<void> => {
    for (let off = 0; off < all.length; off += size) {
      s.current = all.length <= size ? all : all.slice(off, off + size);
      try {
        await run();
      } finally {
        s.current = EMPTY;
      }
      ranOnce = true;
      await yielder.maybeYield();
    }
  };
  for (const s of slots) {
    if (s.chunks) {
      for (let r = await s.chunks.next(); !r.done; r = await s.chunks.next()) await runSlices(s, r.value);
      s.chunks = undefined;
    } else {
      await runSlices(s, s.rows);
    }
  }
  // No input at all: the plan still runs once over nothing (a root over static data, a stage
  // that must see an empty batch).
  if (!ranOnce) await run();
}

/** Nodes that become a stateful operator over a streaming child (both children for a join). */
function isStatefulNode(p: BoundPlan): boolean {
  if (p.kind === 'join') return isStreamingPlan(p.left) && isStreamingPlan(p.right);
  if (p.kind === 'groupsWithState') return isStreamingPlan(p.child);
  return (
    (p.kind === 'aggregate' || p.kind === 'distinct' || p.kind === 'deduplicate') && isStreamingPlan(p.child)
  );
}

/**
 * The plans a stateful node's operator consumes: its children, except for a session-window
 * aggregation, whose operator assigns and merges the sessions itself (over the rows below the
 * session window).
 */
function statefulInputs(p: BoundPlan): BoundPlan[] {
  if (p.kind === 'aggregate' && p.child.kind === 'sessionWindow') return [p.child.child];
  return boundChildren(p);
}

function concat(parts: readonly Row[][]): Row[] {
  let n = 0;
  for (const p of parts) n += p.length;
  const out: Row[] = new Array(n);
  let at = 0;
  for (const p of parts) for (let i = 0; i < p.length; i++) out[at++] = p[i]!;
  return out;
}

function slotScan(label: string, output: BoundPlan['output'], slot: Slot, leaf?: LogicalPlan): BoundPlan {
  return {
    kind: 'scan',
    label,
    output,
    rows: () => slot.current as Row[],
    leaf:
      leaf ?? ({ kind: 'localRelation', schema: { kind: 'struct', fields: [] }, rows: [] } as LogicalPlan),
  };
}

function collectLeaves(p: BoundPlan, out: BoundStreamingScan[] = []): BoundStreamingScan[] {
  if (p.kind === 'streamingScan') {
    out.push(p);
    return out;
  }
  for (const c of boundChildren(p)) collectLeaves(c, out);
  return out;
}
