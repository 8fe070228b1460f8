// Shared helpers for the benchmarks: private redis-server, the built service as a child process,
// autocannon runs, medians. Everything runs on loopback and stops by itself.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { redisAnswers } from '../../dist/redis/local-redis.js';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** A private redis-server; `extraArgs` come last, so they override the defaults (no persistence). */
export async function startRedis(extraArgs = []) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'strata-bench-redis-'));
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      ...extraArgs,
    ],
    { stdio: 'ignore' },
  );
  while (!(await redisAnswers('127.0.0.1', port, 300))) await sleep(20);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    kill: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The node flags `npm start` runs the service with (package.json), so a bench measures what runs. */
export const START_FLAGS = JSON.parse(readFileSync('package.json', 'utf8'))
  .scripts.start.split(/\s+/)
  .filter((arg) => arg.startsWith('--'));

/**
 * `dist/main.js` with the given environment, as `npm start` runs it (or with other node `flags`);
 * resolves once /health/live answers.
 */
export async function startService(env, { flags = START_FLAGS } = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'strata-bench-data-'));
  const child = spawn(process.execPath, [...flags, 'dist/main.js'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SHUTDOWN_DRAIN_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health/live`)).ok) break;
    } catch {
      // A first start (PGlite's initdb) can take a minute on a busy machine.
      if (i > 1200) throw new Error('service did not start');
    }
    await sleep(100);
  }
  return {
    base,
    pid: child.pid,
    rssBytes: () => readRss(child.pid),
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * CPU time (user + system) a process has used so far, in microseconds, from /proc (Linux); `process` for
 * this one. What each process of a run spends per request shows where the machine's two cores go.
 */
export function cpuMicros(pid = process.pid) {
  if (pid === process.pid) {
    const { user, system } = process.cpuUsage();
    return user + system;
  }
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
}
// USER_HZ: 100 on every Linux build we run on (`getconf CLK_TCK`).
const CLOCK_TICKS = 100;

async function readRss(pid) {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

/** autocannon against `url`, from a fresh process (bench/lib/load.mjs says why). */
export async function cannon(url, { connections = 50, duration = 10, headers = {}, method, body } = {}) {
  const options = JSON.stringify({ url, connections, duration, headers, method, body });
  const child = spawn(process.execPath, ['bench/lib/load.mjs', options], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  const code = await new Promise((done) => child.once('close', done));
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  const result = JSON.parse(output);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + (result.non2xx ?? 0),
    total: result.requests.total,
  };
}

/** Stops the bench, saying how to get wrk, when it is not installed. */
export function requireWrk() {
  const found = spawnSync('wrk', ['-v'], { stdio: 'ignore' });
  if (found.error?.code !== 'ENOENT') return;
  console.error(
    'wrk is not installed: `sudo apt-get install wrk` (Debian, Ubuntu), `brew install wrk` (macOS)',
  );
  process.exit(1);
}

/**
 * wrk (the Debian package) against `url`: one thread (the machine has two cores, shared with the service
 * and Redis), `connections` sockets. A POST's method and body go in a Lua script, as wrk takes them.
 */
export async function wrk(url, { connections = 50, duration = 10, headers = {}, method, body } = {}) {
  const args = ['-t1', `-c${connections}`, `-d${duration}s`, '--latency'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  let script;
  if (method) {
    script = join(mkdtempSync(join(tmpdir(), 'strata-bench-wrk-')), 'request.lua');
    writeFileSync(
      script,
      `wrk.method = ${JSON.stringify(method)}\nwrk.body = ${JSON.stringify(body ?? '')}\n`,
    );
    args.push('-s', script);
  }
  args.push(url);
  const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  const code = await new Promise((done) => child.once('close', done));
  if (script) rmSync(join(script, '..'), { recursive: true, force: true });
  if (code !== 0) throw new Error(`wrk exited with ${code}`);
  const number = (re) => Number(re.exec(output)?.[1] ?? 0);
  const ms = (re) => {
    const m = re.exec(output);
    if (!m) return NaN;
    return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]];
  };
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    p50: ms(/50%\s+([\d.]+)(us|ms|s)/),
    p99: ms(/99%\s+([\d.]+)(us|ms|s)/),
    errors:
      number(/Non-2xx or 3xx responses: (\d+)/) +
      (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The api role with the bench's no-op task type (bench/lib/queue-api.mjs) as a child process, so the load
 * generator does not share its CPU; `env` adds variables. Resolves once it listens.
 */
export async function startEnqueueService(redisUrl, apiKeys, env = {}) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['bench/lib/queue-api.mjs', String(port), redisUrl, apiKeys, JSON.stringify(env)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  for await (const line of createInterface({ input: child.stdout })) if (line === 'ready') break;
  return {
    url: `http://127.0.0.1:${port}/v1/tasks/noop`,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
