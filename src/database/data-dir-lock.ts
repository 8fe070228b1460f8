import { open, readFile, rm } from 'node:fs/promises';

/** Thrown when another live process owns an embedded database's directory. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly owner: number,
    readonly lockFile: string,
  ) {
    super(
      `embedded PGlite directory ${dir} is in use by process ${owner}: PGlite serves one process, so run ` +
        `one process on it (APP_ROLE=all) or share PostgreSQL through DATABASE_URL. If no Strata process ` +
        `is running there, delete ${lockFile}`,
    );
    this.name = 'DataDirInUseError';
  }
}

/** Directories this process holds, so a second open in the same process is refused too. */
const held = new Set<string>();

/**
 * Makes `dir` this process's own until the returned release is called.
 *
 * Embedded PGlite keeps its database in the process's memory and writes it back to the directory: two
 * processes on one directory each see only their own writes, and the files they leave can abort the next
 * open (measured with two PGlite 0.4 processes). PostgreSQL guards its data directory with
 * `postmaster.pid`; PGlite does not, so this does the same beside it: `<dir>.lock`, created exclusively,
 * holding the owner's pid, removed on release. A lock whose process is gone (SIGKILL, a crash, a
 * container restarted with the same pid, which is then ours or our parent's) is taken over.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const lockFile = `${dir}.lock`;
  if (held.has(dir)) throw new DataDirInUseError(dir, process.pid, lockFile);
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      held.add(dir);
      return async () => {
        held.delete(dir);
        if ((await ownerOf(lockFile)) === process.pid) await rm(lockFile, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = await ownerOf(lockFile);
      if (owner !== undefined && isOtherLiveProcess(owner)) {
        throw new DataDirInUseError(dir, owner, lockFile);
      }
      // Stale (or written by a process that died before its pid landed): take it over, once.
      if (attempt > 0) throw new DataDirInUseError(dir, owner ?? 0, lockFile);
      await rm(lockFile, { force: true });
    }
  }
}

async function ownerOf(lockFile: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(lockFile, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isOtherLiveProcess(pid: number): boolean {
  if (pid === process.pid || pid === process.ppid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
