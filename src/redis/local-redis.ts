import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/load-config.js';

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 6379;

export class RedisNotAvailableError extends Error {
  constructor() {
    super(
      [
        'No Redis is configured (REDIS_URL), none answers on 127.0.0.1:6379, and redis-server is not installed.',
        'Get one of:',
        '  Debian/Ubuntu:  sudo apt-get install redis-server',
        '  macOS:          brew install redis',
        '  Docker:         docker compose up -d redis-queue   (then REDIS_URL=redis://127.0.0.1:6379)',
      ].join('\n'),
    );
    this.name = 'RedisNotAvailableError';
  }
}

/** Answers whether something speaking RESP listens there (a PING gets +PONG or an auth error). */
export function redisAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host, port });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => finish(/^(\+PONG|-NOAUTH|-ERR)/.test(data.toString())));
  });
}

export function findExecutable(name: string, path = ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, DEFAULT_HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export interface LocalRedis {
  url: string;
  stop(): void;
}

/**
 * For `npm start` on a fresh machine: with no Redis URL configured and nothing on 127.0.0.1:6379, run a
 * private redis-server (AOF and data under DATA_DIR, noeviction as BullMQ needs) as a child process.
 * Returns undefined when the configured or default Redis should be used as is.
 */
export async function startLocalRedisIfNeeded(
  config: AppConfig,
  searchPath: string,
): Promise<LocalRedis | undefined> {
  if (!config.redis.autoStart) return undefined;
  if (await redisAnswers(DEFAULT_HOST, DEFAULT_PORT)) return undefined;
  const binary = findExecutable('redis-server', searchPath);
  if (!binary) throw new RedisNotAvailableError();

  const logger = new Logger('LocalRedis');
  const dir = resolve(config.server.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [
      '--bind',
      DEFAULT_HOST,
      '--port',
      String(port),
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
      '--logfile',
      join(dir, 'redis.log'),
    ],
    { stdio: 'ignore' },
  );
  const stop = () => {
    if (child.exitCode === null && !child.killed) child.kill('SIGTERM');
  };
  process.once('exit', stop);

  const deadline = Date.now() + 10_000;
  while (!(await redisAnswers(DEFAULT_HOST, port, 200))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      stop();
      throw new Error(`the private redis-server did not start; see ${join(dir, 'redis.log')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  logger.log(
    `no Redis configured or running: started a private redis-server on port ${port} (data in ${dir})`,
  );
  return { url: `redis://${DEFAULT_HOST}:${port}`, stop };
}
