import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.js';

/** The drizzle database type both drivers satisfy; code above this package sees only this. */
export type SluiceDatabase = NodePgDatabase<typeof schema>;

export interface DatabaseHandle {
  readonly db: SluiceDatabase;
  /** `pg` for a real Postgres server (DATABASE_URL), `pglite` for the embedded default. */
  readonly kind: 'pg' | 'pglite';
  /** Resolves when the database answers a query; rejects otherwise (used by /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseOptions = ({ url: string } | { dataDir: string } | { inMemory: true }) & {
  /**
   * Called when an idle pooled connection dies (Postgres restarted, database dropped). The pool drops
   * that connection and opens a new one on the next query; without a listener Node would crash the process.
   */
  onConnectionError?: (error: Error) => void;
};

/** The committed drizzle-kit migrations; the same set runs on pg and on PGlite. */
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** Opens the database and applies every pending migration before returning. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if ('url' in options) {
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    pool.on('error', (error) => options.onConnectionError?.(error));
    const db = drizzlePg(pool, { schema });
    try {
      await pool.query('select 1').catch((error: Error) => {
        throw new Error(`cannot reach Postgres at ${redact(options.url)}: ${error.message}`, {
          cause: error,
        });
      });
      await migratePg(db, { migrationsFolder });
    } catch (error) {
      await pool.end();
      throw error;
    }
    return {
      db,
      kind: 'pg',
      ping: async () => {
        await db.execute(sql`select 1`);
      },
      close: () => pool.end(),
    };
  }
  let client: PGlite;
  if ('dataDir' in options) {
    await mkdir(options.dataDir, { recursive: true });
    client = new PGlite(options.dataDir);
  } else {
    client = new PGlite();
  }
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder });
  return {
    // Both drivers expose the same PgDatabase query API; the cast only unifies their result-type generics.
    db: db as unknown as SluiceDatabase,
    kind: 'pglite',
    ping: async () => {
      await client.query('select 1');
    },
    close: () => client.close(),
  };
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid DATABASE_URL>';
  }
}
