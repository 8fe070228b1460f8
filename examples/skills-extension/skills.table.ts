import { sql } from 'drizzle-orm';
import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The extension's own table, beside the service's (the service's migrations are core files, so an
 * extension creates what it needs itself, idempotently, before its first query).
 */
export const skills = pgTable('ext_skills', {
  slug: text('slug').primaryKey(),
  name: text('name').notNull(),
  category: text('category').notNull(),
  /** Other ways postings write it ("k8s" for Kubernetes), lowercase. */
  aliases: jsonb('aliases').$type<string[]>().notNull().default([]),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export const CREATE_SKILLS_TABLE = sql`
  CREATE TABLE IF NOT EXISTS ext_skills (
    slug text PRIMARY KEY,
    name text NOT NULL,
    category text NOT NULL,
    aliases jsonb NOT NULL DEFAULT '[]',
    updated_at timestamptz NOT NULL DEFAULT now()
  )`;

/** What a fresh table starts with. */
export const SKILLS_SEED = [
  { slug: 'typescript', name: 'TypeScript', category: 'language', aliases: ['ts'] },
  { slug: 'postgresql', name: 'PostgreSQL', category: 'database', aliases: ['postgres', 'sql'] },
  { slug: 'redis', name: 'Redis', category: 'database', aliases: [] },
  { slug: 'kubernetes', name: 'Kubernetes', category: 'operations', aliases: ['k8s'] },
  { slug: 'go', name: 'Go', category: 'language', aliases: ['golang'] },
];
