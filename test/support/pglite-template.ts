import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInitdb } from '../../src/database/pglite-cluster.js';

// An empty, initialised PGlite cluster, made once per machine and copied into each test's data dir:
// initdb costs seconds of CPU (far more on a loaded machine), a copy a few milliseconds. The cluster
// holds no schema, so migrations and seeding still run as in production.
const PGLITE_VERSION = JSON.parse(
  readFileSync('node_modules/@electric-sql/pglite/package.json', 'utf8'),
).version;
const TEMPLATE = join(tmpdir(), `strata-pglite-template-${PGLITE_VERSION}`);

let building: Promise<void> | undefined;

async function buildTemplate(): Promise<void> {
  if (existsSync(join(TEMPLATE, 'PG_VERSION'))) return;
  const staging = `${TEMPLATE}.${process.pid}.${Date.now()}`;
  await runInitdb(staging);
  try {
    renameSync(staging, TEMPLATE);
  } catch {
    // Another jest worker won the race; its template is as good as ours.
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Puts an initialised cluster where the app will look for it (`<dataDir>/pglite`), unless one is there. */
export async function prefillPglite(dataDir: string): Promise<void> {
  building ??= buildTemplate();
  await building;
  const target = join(dataDir, 'pglite');
  if (existsSync(target)) return;
  mkdirSync(dataDir, { recursive: true });
  cpSync(TEMPLATE, target, { recursive: true });
}

/** The synchronous variant for child processes: copies the template if one was already made. */
export function prefillPgliteIfBuilt(dataDir: string): void {
  const target = join(dataDir, 'pglite');
  if (!existsSync(join(TEMPLATE, 'PG_VERSION')) || existsSync(target)) return;
  mkdirSync(dataDir, { recursive: true });
  cpSync(TEMPLATE, target, { recursive: true });
}
