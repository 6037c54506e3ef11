// The query builders, re-exported so users of the schema build queries with the same drizzle version.
export { and, asc, desc, eq, gt, gte, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm';
export {
  type DatabaseHandle,
  type DatabaseOptions,
  migrationsFolder,
  openDatabase,
  type SluiceDatabase,
} from './client.js';
export * from './schema.js';
