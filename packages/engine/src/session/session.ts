import * as path from 'node:path';
import { DataFrame } from '../dataframe/dataframe.js';
import { UDFRegistration } from '../dataframe/udf.js';
import {
  AnalysisError,
  type ErrorPosition,
  guardRecursion,
  NotImplementedError,
  SluiceError,
} from '../errors.js';
import { planPhysical } from '../exec/planner.js';
import { DataFrameReader } from '../io/reader.js';
import { type AnalyzerContext, analyze } from '../plan/analyzer.js';
import { type ExplainMode, explainString } from '../plan/explain.js';
import type { LogicalPlan } from '../plan/logical/plan.js';
import { optimize } from '../plan/optimizer.js';
import { SqlPlanner } from '../plan/sql-planner.js';
import type { Query, Statement } from '../sql/ast.js';
import { parseStatements, parseTableSchema, sqlExcerpt } from '../sql/index.js';
import type { DataStreamReader } from '../streaming/data-stream-reader.js';
import type { StreamingQueryManager } from '../streaming/streaming-query-manager.js';
import type { Row, StructType } from '../types/data-type.js';
import { simpleString } from '../types/types.js';
import { Catalog } from './catalog.js';
import { RuntimeConfig } from './conf.js';
import { createRows } from './create-data-frame.js';
import { ManagedTables } from './managed-tables.js';
import { streamingSupport } from './streaming-hooks.js';

/** `Session.builder().appName('x').master('local[*]').config(k, v).getOrCreate()`. */
export class SessionBuilder {
  private readonly options: Record<string, string> = {};

  appName(name: string): this {
    this.options['spark.app.name'] = name;
    return this;
  }

  master(master: string): this {
    this.options['spark.master'] = master;
    return this;
  }

  config(key: string, value: string | number | boolean): this {
    this.options[key] = String(value);
    return this;
  }

  /** The active session with these options applied, or a new one. */
  getOrCreate(): Session {
    const s = Session.active ?? new Session();
    for (const [k, v] of Object.entries(this.options)) s.conf.set(k, v);
    Session.active = s;
    return s;
  }

  /** Always a new session (not shared). */
  create(): Session {
    const s = new Session();
    for (const [k, v] of Object.entries(this.options)) s.conf.set(k, v);
    return s;
  }
}

/**
 * Spark's SparkSession: configuration, temp-view catalog, readers, SQL, and the entry to
 * streaming (`readStream`, `streams`).
 */
export class Session {
  /** The session `getOrCreate()` returns. */
  static active: Session | undefined;

  readonly conf = new RuntimeConfig();
  readonly catalog = new Catalog(
    new ManagedTables(() => path.resolve(this.conf.get('spark.sql.warehouse.dir') ?? 'spark-warehouse')),
  );
  /** `session.udf.register(name, f, returnType)`: UDFs callable from SQL. */
  readonly udf = new UDFRegistration();

  static builder(): SessionBuilder {
    return new SessionBuilder();
  }

  static getActiveSession(): Session | undefined {
    return Session.active;
  }

  /** A fresh session with its own catalog and conf. */
  newSession(): Session {
    return new Session();
  }

  get version(): string {
    return '4.0.0-sluice';
  }

  /** The context the analyzer resolves names with (temp views, ANSI mode, sub-queries). */
  analyzerContext(): AnalyzerContext {
    const ctx: AnalyzerContext = {
      lookupRelation: (name) => this.catalog.lookup(name),
      relationNames: () => this.catalog.names(),
      ansi: this.conf.ansi,
      planSubquery: (query) => new SqlPlanner(this.conf.ansi).query(query as Query),
      runSubquery: (query) => {
        const plan = new SqlPlanner(this.conf.ansi).query(query as Query);
        const bound = analyze(plan, ctx);
        return { rows: planPhysical(optimize(bound)).execute(), output: bound.output };
      },
    };
    return ctx;
  }

  get read(): DataFrameReader {
    return new DataFrameReader(this);
  }

  /** `session.readStream.format(...).load()` — provided by the streaming layer. */
  get readStream(): DataStreamReader {
    return streamingSupport().readStream(this) as DataStreamReader;
  }

  /** The StreamingQueryManager (`session.streams.active`, `addListener`, …). */
  get streams(): StreamingQueryManager {
    return streamingSupport().streams(this) as StreamingQueryManager;
  }

  /** A DataFrame over a logical plan. */
  dataFrame(plan: LogicalPlan): DataFrame {
    return new DataFrame(this, plan);
  }

  /**
   * `createDataFrame(rows, schema?)`. Rows are positional arrays or objects keyed by column name;
   * the schema is a StructType, a DDL string (`'a INT, b STRING'`) or a list of column names (types
   * inferred: integral numbers → bigint, other numbers → double, strings, booleans, Date →
   * timestamp, arrays, objects → struct). Values are converted to the engine's representation.
   */
  createDataFrame(
    rows: readonly (readonly unknown[] | Record<string, unknown>)[],
    schema?: StructType | string | string[],
  ): DataFrame {
    const st = typeof schema === 'string' ? parseTableSchema(schema) : schema;
    const { schema: resolved, rows: values } = createRows(rows, st);
    return new DataFrame(this, { kind: 'localRelation', schema: resolved, rows: values });
  }

  /** `range(end)` / `range(start, end, step = 1)`: one `id bigint` column. */
  range(start: number, end?: number, step = 1): DataFrame {
    const plan: LogicalPlan =
      end === undefined
        ? { kind: 'range', start: 0, end: start, step: 1 }
        : { kind: 'range', start, end, step };
    return new DataFrame(this, plan);
  }

  get emptyDataFrame(): DataFrame {
    return new DataFrame(this, { kind: 'localRelation', schema: { kind: 'struct', fields: [] }, rows: [] });
  }

  /** A temp view as a DataFrame. */
  table(name: string): DataFrame {
    const parts = name.split('.');
    if (!this.catalog.lookup(parts))
      throw new AnalysisError(
        'TABLE_OR_VIEW_NOT_FOUND',
        `The table or view \`${name}\` cannot be found. Verify the spelling and correctness of the schema and catalog.`,
      );
    return new DataFrame(this, { kind: 'unresolvedRelation', name: parts });
  }

  /**
   * Runs SQL. Queries return a lazy DataFrame; `CREATE TEMP VIEW`, `DROP VIEW`, `SET`, `RESET` take
   * effect immediately and return an empty DataFrame; `EXPLAIN`, `SHOW TABLES`, `DESCRIBE` return
   * their result rows. Several `;`-separated statements run in order; the last one's result is returned.
   */
  sql(text: string): DataFrame {
    const statements = parseStatements(text);
    let last: DataFrame = this.emptyDataFrame;
    try {
      for (const st of statements) {
        last = guardRecursion('planning', () => this.runStatement(st));
        // Spark analyzes eagerly: unknown names fail here, not at the first action.
        if (st.kind === 'query') last.analyzed();
      }
    } catch (err) {
      throw withExcerpt(err, text);
    }
    return last;
  }

  private local(schema: StructType, rows: Row[]): DataFrame {
    return new DataFrame(this, { kind: 'localRelation', schema, rows });
  }

  private runStatement(st: Statement): DataFrame {
    const planner = new SqlPlanner(this.conf.ansi);
    const str = (name: string) => ({ name, dataType: { kind: 'string' } as const, nullable: true });
    switch (st.kind) {
      case 'query':
        return new DataFrame(this, planner.query(st));
      case 'createView': {
        let plan = planner.query(st.query);
        if (st.columns) plan = { kind: 'toDF', child: plan, names: st.columns.map((c) => c.name) };
        const name = st.name[st.name.length - 1]!;
        if (st.ifNotExists && this.catalog.tableExists(name)) return this.emptyDataFrame;
        // Resolve now so errors surface at CREATE time, as in Spark.
        analyze(plan, this.analyzerContext());
        const previous = this.catalog.lookup([name]);
        this.catalog.registerView(name, plan, st.replace);
        try {
          // A definition that reaches the view itself (directly or through other views) is refused
          // at CREATE time, as Spark does, and the previous definition stays.
          analyze({ kind: 'unresolvedRelation', name: [name] }, this.analyzerContext());
        } catch (e) {
          if (previous) this.catalog.registerView(name, previous, true);
          else this.catalog.dropTempView(name);
          throw e;
        }
        return this.emptyDataFrame;
      }
      case 'dropView': {
        const name = st.name[st.name.length - 1]!;
        if (!this.catalog.dropTempView(name) && !st.ifExists)
          throw new AnalysisError(
            'TABLE_OR_VIEW_NOT_FOUND',
            `The table or view \`${st.name.join('`.`')}\` cannot be found. Verify the spelling and correctness of the schema and await catalog.`,
          );
        return this.emptyDataFrame;
      }
      case 'explain': {
        const inner = st.statement;
        if (inner.kind !== 'query')
          throw new NotImplementedError('UNSUPPORTED_FEATURE', 'EXPLAIN of a non-query statement.');
        const plan = planner.query(inner);
        const mode: ExplainMode =
          st.mode === 'extended' ? 'extended' : st.mode === 'logical' ? 'logical' : 'simple';
        const text = explainString(plan, () => analyze(plan, this.analyzerContext()), mode);
        return this.local({ kind: 'struct', fields: [str('plan')] }, [[text]]);
      }
      case 'describe': {
        const df =
          st.target.kind === 'query'
            ? new DataFrame(this, planner.query(st.target.query))
            : this.table(st.target.name.join('.'));
        const rows = df.schema.fields.map((f) => [f.name, simpleString(f.dataType), null]);
        return this.local(
          { kind: 'struct', fields: [str('col_name'), str('data_type'), str('comment')] },
          rows,
        );
      }
      case 'showTables':
      case 'showViews': {
        const re = st.pattern ? likePattern(st.pattern) : undefined;
        const rows = this.catalog
          .listTables()
          .filter((t) => !re || re.test(t.name))
          .map((t) => (st.kind === 'showTables' ? ['', t.name, true] : ['', t.name, true]));
        return this.local(
          {
            kind: 'struct',
            fields: [
              str('namespace'),
              str(st.kind === 'showTables' ? 'tableName' : 'viewName'),
              { name: 'isTemporary', dataType: { kind: 'boolean' }, nullable: false },
            ],
          },
          rows,
        );
      }
      case 'showColumns': {
        const df = this.table(st.table.join('.'));
        return this.local(
          { kind: 'struct', fields: [str('col_name')] },
          df.columns.map((c) => [c]),
        );
      }
      case 'showFunctions':
        throw new NotImplementedError('UNSUPPORTED_FEATURE', 'SHOW FUNCTIONS is not supported yet.');
      case 'set': {
        const schema: StructType = { kind: 'struct', fields: [str('key'), str('value')] };
        if (st.key !== undefined && st.value !== undefined) {
          this.conf.set(st.key, st.value);
          return this.local(schema, [[st.key, st.value]]);
        }
        if (st.key !== undefined)
          return this.local(schema, [[st.key, this.conf.get(st.key) ?? '<undefined>']]);
        const all = Object.entries(this.conf.getAll()).sort(([a], [b]) => a.localeCompare(b));
        return this.local(
          schema,
          all.map(([k, v]) => [k, v]),
        );
      }
      case 'reset':
        if (st.key) this.conf.unset(st.key);
        return this.emptyDataFrame;
    }
  }

  /** Analyzes and runs a logical plan (for tools); same as `dataFrame(plan).collectValues()`. */
  execute(plan: LogicalPlan): Row[] {
    return planPhysical(optimize(analyze(plan, this.analyzerContext()))).execute();
  }

  /** Stops the session: clears temp views; the active session is forgotten. */
  stop(): void {
    this.catalog.clear();
    if (Session.active === this) Session.active = undefined;
  }
}

/**
 * An analysis error with a position gets the SQL excerpt with a caret (as parse errors have):
 * the same error class and message, plus `== SQL (line l, position c) ==` and the line.
 */
function withExcerpt(err: unknown, text: string): unknown {
  if (
    !(err instanceof SluiceError) ||
    !err.position ||
    err.category === 'parse' ||
    err.message.includes('== SQL (line')
  )
    return err;
  const prefix = `[${err.errorClass}] `;
  const message = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  const Ctor = err.constructor as new (
    c: string,
    m: string,
    p?: ErrorPosition,
    o?: { cause?: unknown },
  ) => SluiceError;
  const out = new Ctor(
    err.errorClass,
    `${message}\n${sqlExcerpt(text, err.position.line, err.position.column)}`,
    err.position,
    { cause: err },
  );
  out.stack = err.stack;
  return out;
}

/** SHOW TABLES LIKE pattern: `*` any, `|` alternatives, case-insensitive. */
function likePattern(p: string): RegExp {
  const alts = p.split('|').map((a) =>
    a
      .trim()
      .replace(/[.+?^${}()[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*'),
  );
  return new RegExp(`^(?:${alts.join('|')})$`, 'i');
}
