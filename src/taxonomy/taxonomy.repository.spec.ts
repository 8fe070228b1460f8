import type { DatabaseService } from '../database/database.service.js';
import { startTestDatabaseService, testBackends } from '../database/testing/test-database.js';
import {
  TaxonomyConflictError,
  TaxonomyUnknownEpochError,
  TaxonomyValidationError,
} from './taxonomy.errors.js';
import { TaxonomyRepository } from './taxonomy.repository.js';
import { TEST_POSTGRES_URL } from '../../test/support/test-env.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

// One database per backend (PGlite takes seconds to start); tests use their own slugs and compare
// versions relative to where they began.
describe.each(testBackends(TEST_POSTGRES_URL))('TaxonomyRepository on $name', (backend) => {
  let database: { service: DatabaseService; stop(): Promise<void> };
  let repo: TaxonomyRepository;

  beforeAll(async () => {
    database = await startTestDatabaseService(backend);
    repo = new TaxonomyRepository(database.service);
  });

  afterAll(() => database.stop());

  it('starts from the seed as version 1, as plain JSON-ready items', async () => {
    const snapshot = await repo.snapshot();

    expect(snapshot.version).toBe(1);
    expect([snapshot.masks.length, snapshot.epochs.length, snapshot.stages.length]).toEqual([8, 5, 15]);
    expect(snapshot.masks[0]).toEqual({
      slug: 'the-builder',
      name: 'The Builder',
      description: expect.any(String),
      position: 10,
      attributes: expect.objectContaining({ tone: 'steady' }),
      updatedAt: expect.stringMatching(ISO),
    });
    expect(snapshot.stages[0]).toMatchObject({ slug: 'first-questions', epochSlug: 'foundations' });
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });

  it('creates, then replaces, reporting which it did', async () => {
    const made = await repo.put('masks', 'the-archivist', {
      name: 'The Archivist',
      description: 'Keeps the receipts.',
      position: 5,
      attributes: { tone: 'exact' },
    });
    expect(made.created).toBe(true);
    expect(made.item).toEqual({
      slug: 'the-archivist',
      name: 'The Archivist',
      description: 'Keeps the receipts.',
      position: 5,
      attributes: { tone: 'exact' },
      updatedAt: expect.stringMatching(ISO),
    });

    const replaced = await repo.put('masks', 'the-archivist', { name: 'The Keeper' });
    expect(replaced.created).toBe(false);
    expect(replaced.version).toBe(made.version + 1);
    // A replace, not a patch: omitted fields return to their defaults.
    expect(replaced.item).toMatchObject({ name: 'The Keeper', description: '', position: 0, attributes: {} });
    expect(await repo.get('masks', 'the-archivist')).toEqual(replaced.item);
  });

  it('bumps the version on every write, and only on writes that change something', async () => {
    const start = await repo.version();
    const versions = [
      (await repo.put('epochs', 'interlude', { name: 'Interlude' })).version,
      (await repo.put('stages', 'a-quiet-year', { name: 'A Quiet Year', epochSlug: 'interlude' })).version,
      (await repo.put('stages', 'a-quiet-year', { name: 'A Busy Year', epochSlug: 'interlude' })).version,
      (await repo.delete('stages', 'a-quiet-year')).version,
      (await repo.delete('epochs', 'interlude')).version,
    ];
    expect(versions).toEqual([1, 2, 3, 4, 5].map((n) => start + n));

    const missing = await repo.delete('epochs', 'interlude');
    expect(missing).toEqual({ deleted: false, version: start + 5 });
    expect(await repo.version()).toBe(start + 5);
  });

  it('lists by position, then slug', async () => {
    await repo.put('epochs', 'zz-early', { name: 'Early Z', position: -5 });
    await repo.put('epochs', 'aa-early', { name: 'Early A', position: -5 });
    await repo.put('epochs', 'mm-earliest', { name: 'Earliest', position: -9 });

    const { version, items } = await repo.list('epochs');
    expect(items.slice(0, 3).map((i) => i.slug)).toEqual(['mm-earliest', 'aa-early', 'zz-early']);
    const positions = items.map((i) => i.position);
    expect(positions).toEqual(positions.toSorted((a, b) => a - b));
    expect(version).toBe(await repo.version());
    expect((await repo.list('masks')).items.every((i) => !('epochSlug' in i))).toBe(true);
  });

  it('refuses a stage whose epoch does not exist, writing nothing', async () => {
    const before = await repo.version();

    await expect(
      repo.put('stages', 'orphan', { name: 'Orphan', epochSlug: 'no-such-epoch' }),
    ).rejects.toBeInstanceOf(TaxonomyUnknownEpochError);
    expect(await repo.get('stages', 'orphan')).toBeUndefined();
    expect(await repo.version()).toBe(before);
  });

  it('refuses to delete an epoch that still has stages', async () => {
    const before = await repo.version();

    const attempt = repo.delete('epochs', 'foundations');
    await expect(attempt).rejects.toBeInstanceOf(TaxonomyConflictError);
    await expect(attempt).rejects.toThrow(/still has 3 stage/);
    expect(await repo.get('epochs', 'foundations')).toBeDefined();
    expect(await repo.version()).toBe(before);

    await repo.put('epochs', 'short-lived', { name: 'Short-lived' });
    await repo.put('stages', 'blink', { name: 'Blink', epochSlug: 'short-lived' });
    await expect(repo.delete('epochs', 'short-lived')).rejects.toBeInstanceOf(TaxonomyConflictError);
    await repo.delete('stages', 'blink');
    expect((await repo.delete('epochs', 'short-lived')).deleted).toBe(true);
  });

  it('turns a value the database refuses into a validation error', async () => {
    const refused = (promise: Promise<unknown>) =>
      expect(promise).rejects.toBeInstanceOf(TaxonomyValidationError);

    await refused(repo.put('masks', 'Not Kebab', { name: 'Bad slug' }));
    await refused(repo.put('masks', 'long-name', { name: 'x'.repeat(121) }));
    await refused(repo.put('masks', 'fractional', { name: 'Half', position: 1.5 }));
    await refused(repo.put('masks', 'list-attrs', { name: 'List', attributes: [] as never }));
    await refused(repo.put('stages', 'no-epoch', { name: 'No epoch' }));
    await refused(repo.put('masks', 'with-epoch', { name: 'Mask', epochSlug: 'foundations' }));
    expect(await repo.get('masks', 'long-name')).toBeUndefined();
  });

  it('serialises concurrent writes: each gets its own version', async () => {
    const start = await repo.version();

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => repo.put('masks', `crowd-${i}`, { name: `Crowd ${i}` })),
    );

    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => start + i + 1),
    );
  });

  it('reads a snapshot consistent with its version while writes go on', async () => {
    const start = await repo.version();
    const writes = Array.from({ length: 15 }, (_, i) =>
      repo.put('masks', `tide-${i}`, { name: `Tide ${i}` }),
    );
    const snapshots = await Promise.all(Array.from({ length: 15 }, () => repo.snapshot()));
    await Promise.all(writes);

    // Each write adds one tide mask and one version: a torn read would break the equality.
    for (const s of snapshots) {
      expect(s.masks.filter((m) => m.slug.startsWith('tide-'))).toHaveLength(s.version - start);
    }
  });

  it('counts every database read, and no writes', async () => {
    const before = repo.reads;

    await repo.snapshot();
    await repo.list('stages');
    await repo.get('epochs', 'mastery');
    await repo.get('epochs', 'nowhere');
    await repo.version();
    expect(repo.reads).toBe(before + 5);

    await repo.put('masks', 'the-counter', { name: 'The Counter' });
    await repo.delete('masks', 'the-counter');
    expect(repo.reads).toBe(before + 5);
  });
});
