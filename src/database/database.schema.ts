import { sql } from 'drizzle-orm';
import { bigint, boolean, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/*
 * The drizzle view of the tables, for typed queries on both drivers. The migrations in ./migrations are
 * the source of truth for DDL and constraints; a column added there is added here too.
 */

/** Applied migration versions; created by the migrator itself, before any migration runs. */
export const schemaMigrations = pgTable('schema_migrations', {
  version: integer('version').primaryKey(),
  name: text('name').notNull(),
  appliedAt: timestamp('applied_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * The kinds migration 0001's CHECK allows, in the order a snapshot lists them. Declared here, with the
 * table, so the database needs nothing from taxonomy/; taxonomy/taxonomy-kind.ts offers them to the rest.
 */
export const TAXONOMY_KINDS = ['masks', 'epochs', 'stages'] as const;

export type TaxonomyKind = (typeof TAXONOMY_KINDS)[number];

/**
 * Masks, epochs and stages share every field, so they share one table keyed by (kind, slug): a snapshot is
 * one ordered scan, and a new kind is a CHECK change rather than a new table. The stage→epoch reference is
 * still a real foreign key, through the generated `epoch_kind` column (always 'epochs' on a stage).
 */
export const taxonomyItems = pgTable(
  'taxonomy_items',
  {
    kind: text('kind').$type<TaxonomyKind>().notNull(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull().default(0),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    epochSlug: text('epoch_slug'),
    epochKind: text('epoch_kind').generatedAlwaysAs(
      sql`CASE WHEN epoch_slug IS NULL THEN NULL ELSE 'epochs' END`,
    ),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.slug] })],
);

/** One row: the taxonomy version, bumped in the same transaction as every write. */
export const taxonomyMeta = pgTable('taxonomy_meta', {
  singleton: boolean('singleton').primaryKey().default(true),
  version: bigint('version', { mode: 'number' }).notNull(),
});

export const databaseSchema = { schemaMigrations, taxonomyItems, taxonomyMeta };
