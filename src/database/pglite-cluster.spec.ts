import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase } from './open-database.js';
import { initPgliteCluster, isPgliteCluster } from './pglite-cluster.js';

describe('the embedded PGlite cluster', () => {
  let root: string;
  let dir: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'strata-cluster-'));
    dir = join(root, 'pglite');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  // One initdb for the whole file: it costs seconds of CPU, far more on a loaded machine.
  it('is created on first open over what a killed first start left, with a 16 MB buffer pool', async () => {
    await mkdir(`${dir}.initdb`);
    await writeFile(join(`${dir}.initdb`, 'base'), 'half-written');
    await mkdir(dir);
    const opened = await openDatabase({ dataDir: dir });
    try {
      expect(isPgliteCluster(dir)).toBe(true);
      expect(existsSync(`${dir}.initdb`)).toBe(false);
      // PGlite answers with `{ rows }`; the query type both drivers share leaves it unknown.
      const shown = (await opened.db.execute(sql`SHOW shared_buffers`)) as { rows: unknown[] };
      expect(shown.rows).toEqual([{ shared_buffers: '16MB' }]);
    } finally {
      await opened.close();
    }
    // A cluster is never made over.
    await expect(initPgliteCluster(dir)).rejects.toThrow(`${dir} already holds a PGlite cluster`);
    expect(isPgliteCluster(dir)).toBe(true);
  });

  it('refuses a directory that holds something else, naming it, and leaves its files alone', async () => {
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(
      `${dir} is not empty but holds no PGlite cluster (no PG_VERSION): move it away`,
    );
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });
});
