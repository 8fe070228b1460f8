import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { InvalidArtifactKeyError } from './artifact-key.js';
import { ArtifactNotFoundError } from './artifact-not-found.error.js';
import { LocalDiskArtifactStore } from './local-disk-artifact-store.js';

describe('LocalDiskArtifactStore', () => {
  let root: string;
  let store: LocalDiskArtifactStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'strata-artifacts-'));
    store = new LocalDiskArtifactStore(join(root, 'artifacts'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores bytes under the root and reports their size and sha256', async () => {
    const data = Buffer.from('%PDF-1.3 fake');
    const result = await store.put('pdf/2025/job-42.pdf', data);
    expect(result).toEqual({
      bytes: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      path: join(root, 'artifacts', 'pdf', '2025', 'job-42.pdf'),
    });
    expect(await readFile(result.path!)).toEqual(data);
    expect(await store.get('pdf/2025/job-42.pdf')).toEqual(data);
    expect(await text(await store.stream('pdf/2025/job-42.pdf'))).toBe('%PDF-1.3 fake');
    expect(await store.exists('pdf/2025/job-42.pdf')).toBe(true);
  });

  it('replaces an existing artifact and leaves no temp files behind', async () => {
    await store.put('report.pdf', Buffer.from('old'));
    await store.put('report.pdf', Buffer.from('new'));
    expect((await store.get('report.pdf')).toString()).toBe('new');
    expect(await readdir(join(root, 'artifacts'))).toEqual(['report.pdf']);
  });

  it('removes its temp file when the final rename fails', async () => {
    await mkdir(join(root, 'artifacts', 'taken'), { recursive: true });
    await expect(store.put('taken', Buffer.from('x'))).rejects.toThrow();
    expect(await readdir(join(root, 'artifacts'))).toEqual(['taken']);
  });

  it('answers ArtifactNotFoundError for a missing artifact and false from exists and delete', async () => {
    await expect(store.get('missing.pdf')).rejects.toBeInstanceOf(ArtifactNotFoundError);
    await expect(store.stream('missing.pdf')).rejects.toBeInstanceOf(ArtifactNotFoundError);
    expect(await store.exists('missing.pdf')).toBe(false);
    expect(await store.delete('missing.pdf')).toBe(false);
  });

  it('deletes an artifact', async () => {
    await store.put('a/b.eml', Buffer.from('x'));
    expect(await store.delete('a/b.eml')).toBe(true);
    expect(await store.exists('a/b.eml')).toBe(false);
    await expect(store.get('a/b.eml')).rejects.toBeInstanceOf(ArtifactNotFoundError);
  });

  it.each([
    '',
    '../escape.pdf',
    'a/../../escape.pdf',
    '/etc/passwd',
    'a//b',
    'a/',
    './a',
    '.hidden',
    'a\\..\\b',
    'nul\0byte',
    'spaces are not allowed',
    'x'.repeat(256),
  ])('refuses the key %j for every operation', async (key) => {
    const data = Buffer.from('x');
    await expect(store.put(key, data)).rejects.toBeInstanceOf(InvalidArtifactKeyError);
    await expect(store.get(key)).rejects.toBeInstanceOf(InvalidArtifactKeyError);
    await expect(store.stream(key)).rejects.toBeInstanceOf(InvalidArtifactKeyError);
    await expect(store.exists(key)).rejects.toBeInstanceOf(InvalidArtifactKeyError);
    await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidArtifactKeyError);
    expect(await readdir(root)).toEqual([]);
  });
});
