import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Logger } from '@nestjs/common';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { type DataDirUse, lockDataDir } from '../runtime/data-dir-lock.js';
import { initPgliteCluster, isPgliteCluster, PGLITE_START_PARAMS } from './pglite-cluster.js';
import { databaseSchema } from './database.schema.js';

export const PGLITE_DIR: DataDirUse = {
  what: 'embedded PGlite directory',
  advice:
    'PGlite serves one process, so run one process on it (APP_ROLE=all) or share PostgreSQL through DATABASE_URL',
};

/** The query layer both drivers share; transactions are assignable to it too. */
export type Database = PgDatabase<PgQueryResultHKT, typeof databaseSchema>;

export interface OpenDatabaseOptions {
  /** A postgres:// URL. Unset: embedded PGlite. */
  url?: string;
  /** PGlite's data directory, created if missing. Unset: PGlite in memory. Ignored with `url`. */
  dataDir?: string;
  /** A schema to hold every table instead of `public`, created by the migrator; isolates tests. */
  schema?: string;
  /** Pool size on PostgreSQL. */
  maxConnections?: number;
}

export interface OpenedDatabase {
  readonly backend: 'postgres' | 'pglite';
  readonly db: Database;
  /** The schema option, if one was given. */
  readonly schema: string | undefined;
  close(): Promise<void>;
}

/** Schema names go into SQL and a connection option unquoted-safe, so they are kept plain. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const logger = new Logger('Database');

/** Opens the client; it does not touch the tables (see `migrateDatabase`). */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`database schema name must match ${SCHEMA_NAME}`);
  }
  return options.url ? openPostgres(options.url, options) : openPglite(options);
}

function openPostgres(url: string, { schema, maxConnections = 10 }: OpenDatabaseOptions): OpenedDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: maxConnections,
    // A down server fails a query (and a health check) instead of queueing it forever.
    connectionTimeoutMillis: 5_000,
    // Set at connect time, so every pooled connection sees the same tables.
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its server emits here; unhandled, it would crash the process.
  pool.on('error', (err) => logger.warn(`idle PostgreSQL client failed: ${err.message}`));
  const db = drizzleNodePg({ client: pool, schema: databaseSchema });
  return { backend: 'postgres', db, schema, close: () => pool.end() };
}

async function openPglite({ dataDir, schema }: OpenDatabaseOptions): Promise<OpenedDatabase> {
  let client: PGlite;
  let release: () => void = () => undefined;
  const startParams = [...PGLITE_START_PARAMS];
  if (dataDir) {
    const dir = resolve(dataDir);
    await mkdir(dirname(dir), { recursive: true });
    // One process per directory (see lockDataDir): a second would silently fork the database.
    release = await lockDataDir(dir, PGLITE_DIR);
    try {
      if (!isPgliteCluster(dir)) {
        logger.log(`creating the PGlite cluster in ${dir}`);
        await initPgliteCluster(dir);
      }
      client = await PGlite.create(dir, { startParams });
    } catch (err) {
      release();
      throw err;
    }
  } else {
    client = await PGlite.create({ startParams });
  }
  const close = async () => {
    try {
      await client.close();
    } finally {
      release();
    }
  };
  try {
    // PGlite is a single session, so a session-level setting covers every query.
    if (schema) await client.exec(`SET search_path TO ${schema}`);
  } catch (err) {
    await close();
    throw err;
  }
  const db = drizzlePglite({ client, schema: databaseSchema });
  return { backend: 'pglite', db, schema, close };
}
