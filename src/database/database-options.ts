import { join } from 'node:path';
import type { AppConfig } from '../config/load-config.js';
import type { OpenDatabaseOptions } from './open-database.js';

/** Injection token for per-process overrides; tests replace it with `overrideProvider`. */
export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

export interface DatabaseOverrides {
  /** Put every table in this schema (created on start); a test's private corner of a shared server. */
  schema?: string;
  /** PGlite in memory instead of under `<DATA_DIR>/pglite`. */
  inMemory?: boolean;
}

/** PostgreSQL when DATABASE_URL is set, otherwise PGlite persisted under `<DATA_DIR>/pglite`. */
export function databaseOptionsFrom(
  config: AppConfig,
  overrides: DatabaseOverrides = {},
): OpenDatabaseOptions {
  return {
    url: config.database.url,
    dataDir: overrides.inMemory ? undefined : join(config.server.dataDir, 'pglite'),
    schema: overrides.schema,
  };
}
