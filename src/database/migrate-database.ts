import { sql } from 'drizzle-orm';
import { schemaMigrations } from './database.schema.js';
import { ALL_MIGRATIONS } from './migrations/all-migrations.js';
import type { Migration } from './migrations/migration.js';
import type { OpenedDatabase } from './open-database.js';
import { seedTaxonomy } from './seed/seed-taxonomy.js';

export interface MigrationReport {
  /** Versions applied by this call, oldest first; empty when the database was up to date. */
  applied: number[];
  seeded: boolean;
}

/**
 * Brings the database up to date and seeds a fresh taxonomy, all in one transaction: a failure leaves
 * nothing half-applied. Safe to run from several processes at once: they queue on an advisory lock and
 * each later one finds the work done.
 */
export async function migrateDatabase(
  { db, schema }: OpenedDatabase,
  migrations: readonly Migration[] = ALL_MIGRATIONS,
): Promise<MigrationReport> {
  return db.transaction(async (tx) => {
    // Keyed by schema, so test suites migrating their own schemas do not wait on each other.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`strata.migrate.${schema ?? 'public'}`}))`);
    if (schema) await tx.execute(sql.raw(`CREATE SCHEMA IF NOT EXISTS ${schema}`));
    await tx.execute(
      sql.raw(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`),
    );
    const done = new Set(
      (await tx.select({ version: schemaMigrations.version }).from(schemaMigrations)).map((r) => r.version),
    );
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements) await tx.execute(sql.raw(statement));
      await tx.insert(schemaMigrations).values({ version: migration.version, name: migration.name });
      applied.push(migration.version);
    }
    return { applied, seeded: await seedTaxonomy(tx) };
  });
}
