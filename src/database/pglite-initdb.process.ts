import { PGlite } from '@electric-sql/pglite';

/*
 * `node dist/database/pglite-initdb.process.js <dir>`: creates an empty PGlite cluster in `<dir>` and
 * exits. Run by `initPgliteCluster` in a process of its own, so the memory initdb needs is given back.
 */
async function main(dir: string | undefined): Promise<void> {
  if (!dir) throw new Error('usage: pglite-initdb.process.js <data dir>');
  const db = await PGlite.create(dir);
  await db.close();
}

main(process.argv[2]).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
