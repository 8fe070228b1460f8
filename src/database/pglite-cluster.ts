import { execFile } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { compiledSibling } from '../runtime/compiled-sibling.util.js';

const INITDB_SCRIPT = compiledSibling(import.meta.url, './pglite-initdb.process.js');

/**
 * PGlite's own start parameters with a smaller buffer pool. Its WASM heap never shrinks, so every pool
 * page Postgres touches stays resident; PostgreSQL's 128 MB default (which initdb writes into
 * postgresql.conf) would be ours for good, and 16 MB holds the taxonomy many times over. A command-line
 * setting wins over postgresql.conf, so clusters made before this are covered too.
 */
export const PGLITE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  '-c',
  'shared_buffers=16MB',
];

/** Whether `dir` holds an initialised cluster (PostgreSQL's own test: its version file). */
export function isPgliteCluster(dir: string): boolean {
  return existsSync(join(dir, 'PG_VERSION'));
}

/**
 * Creates an empty cluster at `dir`, which must be missing or empty. It is made beside `dir` and renamed
 * into place, so a start killed half-way leaves no half-made cluster behind.
 */
export async function initPgliteCluster(dir: string): Promise<void> {
  if (isPgliteCluster(dir)) throw new Error(`${dir} already holds a PGlite cluster`);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw notEmpty(dir);
  const staging = `${dir}.initdb`;
  rmSync(staging, { recursive: true, force: true });
  await runInitdb(staging);
  try {
    renameSync(staging, dir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw code === 'ENOTEMPTY' || code === 'EEXIST' ? notEmpty(dir) : err;
  }
}

function notEmpty(dir: string): Error {
  return new Error(`${dir} is not empty but holds no PGlite cluster (no PG_VERSION): move it away`);
}

/**
 * Runs initdb for a new directory `dir` in a short-lived child process. Run here, it would leave this
 * process hundreds of MB heavier for good: PGlite runs initdb as a second WASM instance plus a copy of the
 * new cluster, and neither the WASM heaps nor the freed buffers go back to the OS (measured with PGlite
 * 0.5: 700 MB resident after creating a cluster, still 307 MB after forced garbage collections, against
 * 160 MB after opening an existing one; docs/benchmarks.md, "Memory at rest").
 */
export function runInitdb(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [INITDB_SCRIPT, dir], (err, _stdout, stderr) => {
      if (err) reject(new Error(`PGlite initdb for ${dir} failed: ${stderr.trim() || err.message}`));
      else resolve();
    });
  });
}
