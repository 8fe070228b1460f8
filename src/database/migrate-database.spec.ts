import { count, eq, sql } from 'drizzle-orm';
import { schemaMigrations, taxonomyItems, taxonomyMeta } from './database.schema.js';
import { migrateDatabase } from './migrate-database.js';
import { ALL_MIGRATIONS } from './migrations/all-migrations.js';
import { type OpenedDatabase, openDatabase } from './open-database.js';
import { pgErrorOf } from './pg-error.js';
import { testBackends, testDatabase, type TestDatabase } from './testing/test-database.js';
import { TEST_POSTGRES_URL } from '../../test/support/test-env.js';

describe.each(testBackends(TEST_POSTGRES_URL))('migrateDatabase on $name', (backend) => {
  let target: TestDatabase;
  let opened: OpenedDatabase;

  beforeEach(async () => {
    target = testDatabase(backend);
    opened = await openDatabase(target.options);
  });

  afterEach(async () => {
    await opened.close();
    await target.drop();
  });

  const countKind = async (kind: 'masks' | 'epochs' | 'stages') =>
    (await opened.db.select({ n: count() }).from(taxonomyItems).where(eq(taxonomyItems.kind, kind)))[0].n;

  it('applies every migration once; running again changes nothing', async () => {
    const first = await migrateDatabase(opened);
    const second = await migrateDatabase(opened);

    expect(first).toEqual({ applied: ALL_MIGRATIONS.map((m) => m.version), seeded: true });
    expect(second).toEqual({ applied: [], seeded: false });
    const recorded = await opened.db.select().from(schemaMigrations);
    expect(recorded.map((r) => r.version)).toEqual(ALL_MIGRATIONS.map((m) => m.version));
  });

  it('is safe when two processes migrate at the same time', async () => {
    // PGlite is one process's private database: its "second process" is a second caller on the same client.
    const other = backend.url ? await openDatabase(target.options) : opened;
    try {
      const reports = await Promise.all([migrateDatabase(opened), migrateDatabase(other)]);

      expect(reports.flatMap((r) => r.applied)).toEqual(ALL_MIGRATIONS.map((m) => m.version));
      expect(reports.filter((r) => r.seeded)).toHaveLength(1);
      expect(await countKind('epochs')).toBe(5);
    } finally {
      if (other !== opened) await other.close();
    }
  });

  it('seeds a fresh database with masks, epochs and stages, as its first version', async () => {
    await migrateDatabase(opened);

    expect(await countKind('masks')).toBeGreaterThanOrEqual(8);
    expect(await countKind('epochs')).toBeGreaterThanOrEqual(5);
    expect(await countKind('stages')).toBeGreaterThanOrEqual(15);
    const [meta] = await opened.db.select().from(taxonomyMeta);
    expect(meta.version).toBe(1);
  });

  it('does not seed again a taxonomy that was emptied on purpose', async () => {
    await migrateDatabase(opened);
    await opened.db.delete(taxonomyItems).where(eq(taxonomyItems.kind, 'stages'));
    await opened.db.delete(taxonomyItems);
    await opened.db.update(taxonomyMeta).set({ version: sql`${taxonomyMeta.version} + 1` });

    expect((await migrateDatabase(opened)).seeded).toBe(false);
    expect(await countKind('masks')).toBe(0);
  });

  it('enforces the item constraints in the database too', async () => {
    await migrateDatabase(opened);
    const refusal = async (values: Partial<typeof taxonomyItems.$inferInsert>) => {
      const insert = opened.db.insert(taxonomyItems).values({
        kind: 'masks',
        slug: 'ok-slug',
        name: 'Ok',
        ...values,
      } as typeof taxonomyItems.$inferInsert);
      return insert.then(
        () => 'accepted',
        (err: unknown) => pgErrorOf(err)?.code,
      );
    };

    expect(await refusal({})).toBe('accepted');
    expect(await refusal({ slug: 'ok-slug' })).toBe('23505');
    expect(await refusal({ slug: 'Not-Kebab' })).toBe('23514');
    expect(await refusal({ slug: 'a-'.repeat(32) + 'b' })).toBe('23514');
    expect(await refusal({ slug: 'long-name', name: 'x'.repeat(121) })).toBe('23514');
    expect(await refusal({ slug: 'long-text', description: 'x'.repeat(2001) })).toBe('23514');
    expect(await refusal({ slug: 'list-attrs', attributes: [1] as never })).toBe('23514');
    expect(await refusal({ slug: 'huge-attrs', attributes: { blob: 'x'.repeat(25_000) } })).toBe('23514');
    expect(await refusal({ kind: 'eras' as never, slug: 'odd-kind' })).toBe('23514');
    expect(await refusal({ kind: 'stages', slug: 'no-epoch' })).toBe('23514');
    expect(await refusal({ slug: 'mask-with-epoch', epochSlug: 'foundations' })).toBe('23514');
    expect(await refusal({ kind: 'stages', slug: 'lost-stage', epochSlug: 'no-such-epoch' })).toBe('23503');
  });
});
