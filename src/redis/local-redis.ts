import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readlinkSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/load-config.js';
import { type DataDirUse, isLiveProcess, lockDataDir, readPidFile } from '../runtime/data-dir-lock.js';

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
    // A server that is shutting down can take the connection and close it without a word; the idle
    // timeout is cleared with the socket, so without this the answer would never come.
    socket.once('close', () => finish(false));
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

const LOCAL_REDIS_DIR: DataDirUse = {
  what: 'private Redis directory',
  advice:
    'the redis-server `npm start` runs there serves one process, so run one process on this DATA_DIR ' +
    '(APP_ROLE=all), or share a Redis through REDIS_URL',
};

/**
 * For `npm start` on a fresh machine: with no Redis URL configured and nothing on 127.0.0.1:6379 (`probe`),
 * run a private redis-server (AOF and data under DATA_DIR, noeviction as BullMQ needs) as a child process.
 * Returns undefined when the configured or default Redis should be used as is.
 *
 * Two redis-servers on one AOF directory corrupt it, so the directory is locked as PGlite's is (a second
 * process on the same DATA_DIR is refused), and a redis-server left running by a process that was
 * SIGKILLed (a child outlives its parent) is stopped first: it writes its AOF out on SIGTERM.
 */
export async function startLocalRedisIfNeeded(
  config: AppConfig,
  searchPath: string,
  probe = { host: DEFAULT_HOST, port: DEFAULT_PORT },
): Promise<LocalRedis | undefined> {
  if (!config.redis.autoStart) return undefined;
  if (await redisAnswers(probe.host, probe.port)) return undefined;
  const binary = findExecutable('redis-server', searchPath);
  if (!binary) throw new RedisNotAvailableError();

  const dir = resolve(config.server.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const release = await lockDataDir(dir, LOCAL_REDIS_DIR);
  try {
    await stopLeftover(dir);
    return await spawnRedis(binary, dir, release);
  } catch (err) {
    release();
    throw err;
  }
}

async function spawnRedis(binary: string, dir: string, release: () => void): Promise<LocalRedis> {
  const logger = new Logger('LocalRedis');
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
      '--pidfile',
      join(dir, PID_FILE),
    ],
    { stdio: 'ignore' },
  );
  const stop = () => {
    if (child.exitCode === null && !child.killed) child.kill('SIGTERM');
    release();
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

const PID_FILE = 'redis.pid';

/** Stops the redis-server an earlier process left running in `dir`, if its pid file names a live one. */
async function stopLeftover(dir: string): Promise<void> {
  // None when it shut down cleanly: redis-server removes its pid file.
  const pid = readPidFile(join(dir, PID_FILE));
  if (pid === undefined || !isLiveProcess(pid)) return;
  const where = workingDirOf(pid);
  if (where === undefined) {
    throw new Error(
      `${join(dir, PID_FILE)} names process ${pid}, which may be a redis-server left by an earlier run ` +
        `(this system cannot tell); stop it, or delete the file if it is not one`,
    );
  }
  if (where !== dir) return; // the pid was reused by something else
  new Logger('LocalRedis').warn(`stopping the redis-server (pid ${pid}) an earlier run left in ${dir}`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (isLiveProcess(pid)) {
    if (Date.now() > deadline)
      throw new Error(`redis-server ${pid} in ${dir} did not stop; stop it and retry`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The directory a process runs in (redis-server moves into its --dir), from /proc: '' when /proc has no
 * readable entry for it (it has exited, or belongs to another user, so is not our child's); undefined
 * where there is no /proc to ask (macOS).
 */
function workingDirOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return existsSync('/proc/self') ? '' : undefined;
  }
}
