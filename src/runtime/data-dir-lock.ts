import { readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** What a locked directory holds, and what to do instead of sharing it, for the error that refuses it. */
export interface DataDirUse {
  /** e.g. "embedded PGlite directory" */
  what: string;
  advice: string;
}

/** Thrown when another live process owns a directory under DATA_DIR. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly owner: number,
    readonly lockFile: string,
    use: DataDirUse,
  ) {
    super(
      `${use.what} ${dir} is in use by process ${owner}: ${use.advice}. If no Strata process is running ` +
        `there, delete ${lockFile}`,
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
 * container restarted with the same pid, which is then ours or our parent's) is taken over. The private
 * redis-server of `npm start` (src/redis/local-redis.ts) guards its AOF directory the same way.
 */
export async function lockDataDir(dir: string, use: DataDirUse): Promise<() => void> {
  const lockFile = `${dir}.lock`;
  if (held.has(dir)) throw new DataDirInUseError(dir, process.pid, lockFile, use);
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      held.add(dir);
      // Synchronous, so a process that is exiting can still let go.
      return () => {
        held.delete(dir);
        if (readPidFile(lockFile) === process.pid) rmSync(lockFile, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readPidFile(lockFile);
      // Our own pid or our parent's is a container restarted with the pid it had: the lock is stale.
      if (owner !== undefined && owner !== process.pid && owner !== process.ppid && isLiveProcess(owner)) {
        throw new DataDirInUseError(dir, owner, lockFile, use);
      }
      // Stale (or written by a process that died before its pid landed): take it over, once.
      if (attempt > 0) throw new DataDirInUseError(dir, owner ?? 0, lockFile, use);
      rmSync(lockFile, { force: true });
    }
  }
}

/** The pid a pid file holds; undefined when there is no file or no pid in it. */
export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `pid` names a process that still runs. A zombie does not: it has exited and only waits for its
 * parent to collect its status, and an orphan's new parent (PID 1 of a container or VM) can take seconds
 * to do that, while `kill(pid, 0)` still succeeds.
 */
export function isLiveProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return processState(pid) !== 'Z';
}

/** The state letter of /proc/<pid>/stat (R, S, Z, ...); undefined where there is no /proc to read. */
function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S ...": comm may hold spaces and parentheses, so read from the last ')'.
    return stat.charAt(stat.lastIndexOf(')') + 2);
  } catch {
    return undefined;
  }
}
