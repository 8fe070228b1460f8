import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { eventually } from './eventually.js';
import { freePort } from '../../src/redis/local-redis.js';
import { watchChildContract } from './contract/child-contract.js';
import { prefillPgliteIfBuilt } from './pglite-template.js';
import { TEST_API_KEYS, tempDir } from './test-env.js';

export const MAIN_JS = resolve('dist/main.js');

/**
 * The built service (`dist/main.js`, built by `pretest`) as a real child process: what `npm start` runs,
 * so signals, exit codes and stdout are the real ones.
 */
export class ServiceProcess {
  output = '';
  private readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (d) => (this.output += d));
    child.stderr?.on('data', (d) => (this.output += d));
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)));
  }

  static spawn(env: Record<string, string>): ServiceProcess {
    if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run "npm run build" (npm test does)`);
    if (env.DATA_DIR && !env.DATABASE_URL) prefillPgliteIfBuilt(env.DATA_DIR);
    watchChildContract(env);
    const child = spawn(process.execPath, [MAIN_JS], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(child);
  }

  /**
   * A worker-role process with a health port on `port`, whose jobs other workers take over soon after it
   * dies: its lock lapses after 1 s, and stalled jobs are looked for every 300 ms. `env` adds or overrides.
   */
  static async spawnWorker(
    redisUrl: string,
    env: Record<string, string> = {},
  ): Promise<{ worker: ServiceProcess; port: number }> {
    const port = await freePort();
    const worker = ServiceProcess.spawn({
      APP_ROLE: 'worker',
      HEALTH_PORT: String(port),
      REDIS_URL: redisUrl,
      API_KEYS: TEST_API_KEYS,
      DATA_DIR: tempDir(),
      LOG_LEVEL: 'warn',
      QUEUE_LOCK_DURATION_MS: '1000',
      QUEUE_STALLED_INTERVAL_MS: '300',
      ...env,
    });
    return { worker, port };
  }

  async exitCode(timeoutMs = 15_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`no exit; output:\n${this.output}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async waitForHttp(port: number, path = '/health/live', timeoutMs = 15_000): Promise<void> {
    await eventually(
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      },
      timeoutMs,
      100,
    );
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.child.exitCode === null) this.child.kill(signal);
  }

  /** Signals the process (SIGKILL unless told) and waits for its exit, without the timer `exitCode` leaves. */
  killed(signal: NodeJS.Signals = 'SIGKILL'): Promise<unknown> {
    const { child } = this;
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    const exited = new Promise((done) => child.once('exit', done));
    child.kill(signal);
    return exited;
  }
}
