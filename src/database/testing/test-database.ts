import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../config/load-config.js';
import { DatabaseService } from '../database.service.js';
import type { OpenDatabaseOptions } from '../open-database.js';

/** A database the specs run against: PGlite always, PostgreSQL when the spec was given a URL. */
export interface TestBackend {
  name: 'pglite' | 'postgres';
  url?: string;
}

export function testBackends(postgresUrl: string | undefined): TestBackend[] {
  return [{ name: 'pglite' }, ...(postgresUrl ? [{ name: 'postgres' as const, url: postgresUrl }] : [])];
}

export interface TestDatabase {
  /** Fresh every call: a new in-memory PGlite, or a new schema on the shared server. */
  options: OpenDatabaseOptions;
  /** Drops the schema; close every client first. */
  drop(): Promise<void>;
}

export function testDatabase(backend: TestBackend): TestDatabase {
  if (!backend.url) return { options: {}, drop: async () => {} };
  const url = backend.url;
  const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    options: { url, schema },
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A started `DatabaseService` on a fresh database, and the way to stop and remove it. */
export async function startTestDatabaseService(
  backend: TestBackend,
): Promise<{ service: DatabaseService; stop(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'strata-db-'));
  const { options, drop } = testDatabase(backend);
  const config = loadConfig({ DATABASE_URL: options.url, DATA_DIR: dataDir });
  const service = new DatabaseService(config, { schema: options.schema, inMemory: true });
  await service.onModuleInit();
  return {
    service,
    stop: async () => {
      await service.onApplicationShutdown();
      await drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
