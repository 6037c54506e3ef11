/** Spark's RuntimeConfig (`session.conf`): string keys and values with Spark's defaults. */
export class RuntimeConfig {
  private readonly values = new Map<string, string>();
  static readonly DEFAULTS: Readonly<Record<string, string>> = {
    'spark.sql.ansi.enabled': 'true',
    'spark.sql.caseSensitive': 'false',
    'spark.sql.session.timeZone': 'UTC',
    'spark.sql.shuffle.partitions': '200',
    'spark.sql.groupByOrdinal': 'true',
    'spark.sql.orderByOrdinal': 'true',
    'spark.sql.streaming.schemaInference': 'false',
    'spark.sql.warehouse.dir': 'spark-warehouse',
  };

  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k, v);
  }

  set(key: string, value: string | number | boolean): void {
    this.values.set(key, String(value));
  }

  /** The value, the given default, Spark's default, or undefined. */
  get(key: string, defaultValue?: string): string | undefined {
    return this.values.get(key) ?? defaultValue ?? RuntimeConfig.DEFAULTS[key];
  }

  /** Whether the key was set explicitly (Spark's `RuntimeConfig.contains`); defaults do not count. */
  contains(key: string): boolean {
    return this.values.has(key);
  }

  unset(key: string): void {
    this.values.delete(key);
  }

  isModifiable(_key: string): boolean {
    return true;
  }

  /** Every explicitly set key plus Spark's defaults. */
  getAll(): Record<string, string> {
    return { ...RuntimeConfig.DEFAULTS, ...Object.fromEntries(this.values) };
  }

  /** `spark.sql.ansi.enabled` as a boolean. */
  get ansi(): boolean {
    return this.get('spark.sql.ansi.enabled') !== 'false';
  }
}
