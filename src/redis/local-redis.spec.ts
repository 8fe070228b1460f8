import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { noRedisConfig } from '../../test/support/test-env.js';
import { DataDirInUseError } from '../runtime/data-dir-lock.js';
import { freePort, redisAnswers, startLocalRedisIfNeeded, type LocalRedis } from './local-redis.js';

// The real redis-server, on ports of its own; `probe` stands for 127.0.0.1:6379, which answers on this
// machine, so it points at a free port where nothing listens.
const portOf = (url: string) => Number(new URL(url).port);
const waitUntil = async (check: () => Promise<boolean>) => {
  for (let i = 0; !(await check()); i++) {
    if (i > 200) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('startLocalRedisIfNeeded', () => {
  let dataDir: string;
  let probe: { host: string; port: number };
  const started: LocalRedis[] = [];
  const startOn = (at: typeof probe) => {
    const config = noRedisConfig(dataDir);
    return startLocalRedisIfNeeded(config, config.server.executablePath, at);
  };
  const start = async () => {
    const local = (await startOn(probe))!;
    started.push(local);
    return local;
  };
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'strata-local-redis-'));
    probe = { host: '127.0.0.1', port: await freePort() };
  });
  afterEach(async () => {
    for (const local of started.splice(0)) {
      local.stop();
      await waitUntil(async () => !(await redisAnswers('127.0.0.1', portOf(local.url), 100)));
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('tells a server that takes a connection and closes it without a word from a Redis, at once', async () => {
    // What a redis-server in the middle of shutting down can do; the probe used to wait on it forever.
    const server = createServer((socket) => socket.end());
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    try {
      const { port } = server.address() as AddressInfo;
      const noAnswer = new Promise((r) => setTimeout(() => r('no answer within 2 s'), 2_000).unref());
      expect(await Promise.race([redisAnswers('127.0.0.1', port, 5_000), noAnswer])).toBe(false);
    } finally {
      server.close();
    }
  });

  it('uses the Redis that answers at the probed address, and starts none', async () => {
    const answering = await start();
    expect(await startOn({ host: '127.0.0.1', port: portOf(answering.url) })).toBeUndefined();
  });

  it('runs a private redis-server with its AOF, pid file and lock under DATA_DIR/redis', async () => {
    const local = await start();
    const dir = join(dataDir, 'redis');
    expect(await redisAnswers('127.0.0.1', portOf(local.url))).toBe(true);
    expect(await readFile(`${dir}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    expect(Number(await readFile(join(dir, 'redis.pid'), 'utf8'))).toBeGreaterThan(0);
    const client = new Redis(local.url);
    try {
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    } finally {
      client.disconnect();
    }
    local.stop();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it('refuses a second one on the same DATA_DIR while the first runs (two servers would share one AOF)', async () => {
    const first = await start();
    const refused = await start().catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect((refused as Error).message).toContain('private Redis directory');
    expect(await redisAnswers('127.0.0.1', portOf(first.url))).toBe(true);
  });

  it('stops the redis-server a SIGKILLed process left running, and serves its data', async () => {
    // A process that starts a private Redis the way `npm start` does, then is killed without a chance
    // to stop it: its redis-server lives on, on the AOF directory.
    const module = resolve('dist/redis/local-redis.js');
    const { redis, server } = noRedisConfig(dataDir);
    const script = `
      import { startLocalRedisIfNeeded } from ${JSON.stringify(module)};
      const local = await startLocalRedisIfNeeded(
        ${JSON.stringify({ redis, server })}, ${JSON.stringify(server.executablePath)},
        ${JSON.stringify(probe)});
      console.log('URL ' + local.url);
      setInterval(() => undefined, 1000);`;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let orphanUrl = '';
    for await (const line of createInterface({ input: parent.stdout! })) {
      if (line.startsWith('URL ')) {
        orphanUrl = line.slice(4);
        break;
      }
    }
    const orphan = new Redis(orphanUrl);
    await orphan.set('written-before-the-crash', 'kept');
    orphan.disconnect();
    const exited = new Promise((r) => parent.once('exit', r));
    parent.kill('SIGKILL');
    await exited;
    expect(await redisAnswers('127.0.0.1', portOf(orphanUrl))).toBe(true);

    const local = await start();
    expect(await redisAnswers('127.0.0.1', portOf(orphanUrl), 200)).toBe(false);
    const client = new Redis(local.url);
    try {
      expect(await client.get('written-before-the-crash')).toBe('kept');
    } finally {
      client.disconnect();
    }
  });
});
