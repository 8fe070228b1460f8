import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, redisAnswers } from '../../src/redis/local-redis.js';

export interface TestRedisOptions {
  /** Keep an AOF fsynced on every write, so a SIGKILL loses nothing and a restart brings old keys back. */
  persistent?: boolean;
  maxmemoryPolicy?: string;
  extraArgs?: string[];
}

/**
 * A private redis-server on a free loopback port, owned by one test file. Never 6379, never shared.
 * `kill()` is a SIGKILL (a crash, not a shutdown); `restart()` brings it back on the same port.
 */
export class TestRedis {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private options: TestRedisOptions,
  ) {}

  static async start(options: TestRedisOptions = {}): Promise<TestRedis> {
    const dir = mkdtempSync(join(tmpdir(), 'strata-redis-'));
    const server = new TestRedis(await freePort(), dir, options);
    await server.launch();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** A fresh client for assertions; the caller closes it (or use `withClient`). */
  client(): Redis {
    return new Redis(this.url, { maxRetriesPerRequest: 1, lazyConnect: false });
  }

  async withClient<T>(fn: (client: Redis) => Promise<T>): Promise<T> {
    const client = this.client();
    try {
      return await fn(client);
    } finally {
      client.disconnect();
    }
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /** `extraArgs` replace the ones it was started with (a SIGKILLed master comes back as a replica). */
  async restart(extraArgs?: string[]): Promise<void> {
    await this.kill();
    if (extraArgs) this.options = { ...this.options, extraArgs };
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const { persistent, maxmemoryPolicy, extraArgs = [] } = this.options;
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      persistent ? 'yes' : 'no',
      '--appendfsync',
      'always',
      '--maxmemory-policy',
      maxmemoryPolicy ?? 'noeviction',
      '--logfile',
      join(this.dir, 'redis.log'),
      ...extraArgs,
    ];
    this.child = spawn('redis-server', args, { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    // The port may linger briefly after a SIGKILL; keep trying until the new server answers.
    while (!(await redisAnswers('127.0.0.1', this.port, 200))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not start on ${this.port}`);
      if (!this.running) {
        await new Promise((r) => setTimeout(r, 100));
        this.child = spawn('redis-server', args, { stdio: 'ignore' });
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
