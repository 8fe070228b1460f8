import { Injectable } from '@nestjs/common';
import { and, asc, eq, sql } from 'drizzle-orm';
import { taxonomyItems, taxonomyMeta } from '../database/database.schema.js';
import { DatabaseService } from '../database/database.service.js';
import type { Database } from '../database/open-database.js';
import { pgErrorOf } from '../database/pg-error.js';
import type { TaxonomyItem, TaxonomyItemFields, TaxonomySnapshot } from './taxonomy-item.entity.js';
import type { TaxonomyKind } from './taxonomy-kind.js';
import {
  TaxonomyConflictError,
  TaxonomyUnknownEpochError,
  TaxonomyValidationError,
} from './taxonomy.errors.js';

const ITEM_COLUMNS = {
  kind: taxonomyItems.kind,
  slug: taxonomyItems.slug,
  name: taxonomyItems.name,
  description: taxonomyItems.description,
  position: taxonomyItems.position,
  attributes: taxonomyItems.attributes,
  epochSlug: taxonomyItems.epochSlug,
  updatedAt: taxonomyItems.updatedAt,
};

type ItemRow = Omit<typeof taxonomyItems.$inferSelect, 'epochKind'>;

/** SQLSTATEs of a value the table refuses: check, not-null, too long, out of range, bad syntax. */
const INVALID_VALUE_CODES = new Set(['23514', '23502', '22001', '22003', '22P02']);
const FOREIGN_KEY_VIOLATION = '23503';

const ORDER = [asc(taxonomyItems.position), asc(taxonomyItems.slug)];

/**
 * Masks, epochs and stages in the database. Every write runs in one transaction that locks the version row
 * first, so writes are serialised and each successful one bumps the version it commits with.
 */
@Injectable()
export class TaxonomyRepository {
  /** Database round trips made to answer reads (snapshot, list, get, version); writes do not count. */
  reads = 0;

  constructor(private readonly database: DatabaseService) {}

  /** Everything at one version: a single statement, so one consistent snapshot even under concurrent writes. */
  async snapshot(): Promise<TaxonomySnapshot> {
    this.reads++;
    const rows = await this.db
      .select({ version: taxonomyMeta.version, item: ITEM_COLUMNS })
      .from(taxonomyMeta)
      .leftJoin(taxonomyItems, sql`true`)
      .orderBy(...ORDER);
    const snapshot: TaxonomySnapshot = { version: rows[0].version, masks: [], epochs: [], stages: [] };
    for (const { item } of rows) if (item) snapshot[item.kind].push(toItem(item));
    return snapshot;
  }

  async list(kind: TaxonomyKind): Promise<{ version: number; items: TaxonomyItem[] }> {
    this.reads++;
    const rows = await this.db
      .select({ version: taxonomyMeta.version, item: ITEM_COLUMNS })
      .from(taxonomyMeta)
      .leftJoin(taxonomyItems, eq(taxonomyItems.kind, kind))
      .orderBy(...ORDER);
    return {
      version: rows[0].version,
      items: rows.flatMap(({ item }) => (item ? [toItem(item)] : [])),
    };
  }

  async get(kind: TaxonomyKind, slug: string): Promise<TaxonomyItem | undefined> {
    this.reads++;
    const [row] = await this.db.select(ITEM_COLUMNS).from(taxonomyItems).where(byKey(kind, slug));
    return row && toItem(row);
  }

  async version(): Promise<number> {
    this.reads++;
    const [meta] = await this.db.select({ version: taxonomyMeta.version }).from(taxonomyMeta);
    return meta.version;
  }

  /** Creates or wholly replaces an item; omitted optional fields reset to their defaults. */
  async put(
    kind: TaxonomyKind,
    slug: string,
    fields: TaxonomyItemFields,
  ): Promise<{ item: TaxonomyItem; created: boolean; version: number }> {
    const epochSlug = fields.epochSlug ?? null;
    if ((kind === 'stages') !== (epochSlug !== null)) {
      throw new TaxonomyValidationError(
        kind === 'stages' ? 'a stage needs an epochSlug' : `epochSlug applies to stages only, not ${kind}`,
      );
    }
    const values = {
      name: fields.name,
      description: fields.description ?? '',
      position: fields.position ?? 0,
      attributes: fields.attributes ?? {},
      epochSlug,
      updatedAt: sql`now()`,
    };
    try {
      return await this.write(async (tx) => {
        if (epochSlug !== null && !(await exists(tx, 'epochs', epochSlug))) {
          throw new TaxonomyUnknownEpochError(epochSlug);
        }
        const created = !(await exists(tx, kind, slug));
        const [row] = created
          ? await tx
              .insert(taxonomyItems)
              .values({ kind, slug, ...values })
              .returning(ITEM_COLUMNS)
          : await tx.update(taxonomyItems).set(values).where(byKey(kind, slug)).returning(ITEM_COLUMNS);
        return { changed: true, result: { item: toItem(row), created } };
      });
    } catch (err) {
      const pgError = pgErrorOf(err);
      // Backstops for what the checks above and the DTO layer normally catch first.
      if (pgError?.code === FOREIGN_KEY_VIOLATION) throw new TaxonomyUnknownEpochError(epochSlug ?? '');
      if (pgError && INVALID_VALUE_CODES.has(pgError.code)) {
        throw new TaxonomyValidationError(
          `${kind}/${slug} was refused by the database (${pgError.constraint ?? pgError.code})`,
        );
      }
      throw err;
    }
  }

  /** Deleting an epoch that still has stages is a conflict: its stages must move or go first. */
  async delete(kind: TaxonomyKind, slug: string): Promise<{ deleted: boolean; version: number }> {
    const conflict = (stages?: number) =>
      new TaxonomyConflictError(
        `epoch "${slug}" still has ${stages ?? 'some'} stage(s); move or delete them first`,
        kind,
        slug,
      );
    try {
      return await this.write(async (tx) => {
        if (kind === 'epochs') {
          const stages = await tx.$count(
            taxonomyItems,
            and(eq(taxonomyItems.kind, 'stages'), eq(taxonomyItems.epochSlug, slug)),
          );
          if (stages > 0) throw conflict(stages);
        }
        const gone = await tx
          .delete(taxonomyItems)
          .where(byKey(kind, slug))
          .returning({ slug: taxonomyItems.slug });
        return { changed: gone.length > 0, result: { deleted: gone.length > 0 } };
      });
    } catch (err) {
      if (pgErrorOf(err)?.code === FOREIGN_KEY_VIOLATION) throw conflict();
      throw err;
    }
  }

  private get db(): Database {
    return this.database.db;
  }

  /** Runs `work` with the version row locked; bumps the version when `work` changed something. */
  private write<T extends object>(
    work: (tx: Database) => Promise<{ changed: boolean; result: T }>,
  ): Promise<T & { version: number }> {
    return this.db.transaction(async (tx) => {
      const [meta] = await tx.select({ version: taxonomyMeta.version }).from(taxonomyMeta).for('update');
      const { changed, result } = await work(tx);
      if (!changed) return { ...result, version: meta.version };
      const [bumped] = await tx
        .update(taxonomyMeta)
        .set({ version: sql`${taxonomyMeta.version} + 1` })
        .returning({ version: taxonomyMeta.version });
      return { ...result, version: bumped.version };
    });
  }
}

function byKey(kind: TaxonomyKind, slug: string) {
  return and(eq(taxonomyItems.kind, kind), eq(taxonomyItems.slug, slug));
}

async function exists(tx: Database, kind: TaxonomyKind, slug: string): Promise<boolean> {
  const rows = await tx
    .select({ slug: taxonomyItems.slug })
    .from(taxonomyItems)
    .where(byKey(kind, slug))
    .limit(1);
  return rows.length > 0;
}

function toItem(row: ItemRow): TaxonomyItem {
  const item: TaxonomyItem = {
    slug: row.slug,
    name: row.name,
    description: row.description,
    position: row.position,
    attributes: row.attributes,
    updatedAt: row.updatedAt.toISOString(),
  };
  if (row.kind === 'stages' && row.epochSlug !== null) item.epochSlug = row.epochSlug;
  return item;
}
