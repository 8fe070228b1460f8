import { taxonomyMigration } from './0001-taxonomy.migration.js';
import type { Migration } from './migration.js';

/** Every migration, oldest first. Append only: an applied migration is never edited. */
export const ALL_MIGRATIONS: readonly Migration[] = [taxonomyMigration];
