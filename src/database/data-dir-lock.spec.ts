import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirInUseError, isLiveProcess, lockDataDir } from '../runtime/data-dir-lock.js';
import { openDatabase, PGLITE_DIR } from './open-database.js';

/** A real process of another pid: `sleep`, alive until killed. */
function otherProcess() {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  return { pid: child.pid!, stop: () => (child.kill('SIGKILL'), exited) };
}

describe('lockDataDir', () => {
  let root: string;
  let dir: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'strata-lock-'));
    dir = join(root, 'pglite');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('holds the directory until released, in this process too', async () => {
    const release = await lockDataDir(dir, PGLITE_DIR);
    expect(await readFile(`${dir}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    await expect(lockDataDir(dir, PGLITE_DIR)).rejects.toBeInstanceOf(DataDirInUseError);
    release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
    await (
      await lockDataDir(dir, PGLITE_DIR)
    )();
  });

  it('refuses while another live process owns it, naming it; takes over once that process is gone', async () => {
    const owner = otherProcess();
    await writeFile(`${dir}.lock`, `${owner.pid}\n`);
    const refused = await lockDataDir(dir, PGLITE_DIR).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect((refused as Error).message).toContain(`in use by process ${owner.pid}`);
    expect((refused as Error).message).toContain(`${dir}.lock`);
    expect(await readFile(`${dir}.lock`, 'utf8')).toBe(`${owner.pid}\n`);

    await owner.stop();
    const release = await lockDataDir(dir, PGLITE_DIR);
    expect(await readFile(`${dir}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    release();
  });

  it('takes over the lock of an owner that has exited but not been reaped (a zombie)', async () => {
    // `sleep 0.1` exits at once; its parent then becomes `sleep 30`, which never collects its status.
    const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 30'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const [pidLine] = (await once(parent.stdout!, 'data')) as [Buffer];
      const zombie = Number(pidLine.toString().trim());
      const state = () => readFile(`/proc/${zombie}/stat`, 'utf8');
      for (let i = 0; i < 100 && !(await state()).includes(') Z '); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await state()).toContain(') Z ');
      expect(() => process.kill(zombie, 0)).not.toThrow();
      expect(isLiveProcess(zombie)).toBe(false);
      await writeFile(`${dir}.lock`, `${zombie}\n`);
      await (
        await lockDataDir(dir, PGLITE_DIR)
      )();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('takes over a lock file with no pid in it (an owner that died while writing it)', async () => {
    await writeFile(`${dir}.lock`, '');
    await (
      await lockDataDir(dir, PGLITE_DIR)
    )();
  });

  it('guards embedded PGlite: a second open of a directory fails, and closing frees it', async () => {
    const first = await openDatabase({ dataDir: dir });
    try {
      await expect(openDatabase({ dataDir: dir })).rejects.toBeInstanceOf(DataDirInUseError);
    } finally {
      await first.close();
    }
    expect(existsSync(`${dir}.lock`)).toBe(false);
    await (await openDatabase({ dataDir: dir })).close();
  });
});
