// npm run bench:memory: resident memory (RSS) of the service at rest, as `npm start` runs it (role `all`,
// its node flags, no NODE_ENV, default log level), on embedded PGlite and, when one answers, PostgreSQL.
// Each case: start, wait until /health/ready answers 200, stay idle BENCH_IDLE seconds (default 15), read
// VmRSS (and VmHWM, the peak) from /proc. "first start" begins with an empty DATA_DIR (PGlite: initdb,
// migrations, seed; PostgreSQL: a new empty database); "restart" starts again on what the first left.
// Rounds (BENCH_RUNS, default 3) run every case in turn; the figure is the median. See docs/benchmarks.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, median, sleep, START_FLAGS, startRedis } from './lib/harness.mjs';
import { databaseUrl, onPostgres, POSTGRES_URL, postgresAnswers } from './lib/postgres.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const IDLE_MS = Number(process.env.BENCH_IDLE ?? 15) * 1000;
const MB = 1024 * 1024;

function readStatus(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)[1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** One start of `dist/main.js` with `npm start`'s flags; resolves with its memory once it has idled. */
async function measure(env) {
  const port = await freePort();
  const child = spawn(process.execPath, [...START_FLAGS, 'dist/main.js'], {
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const exited = new Promise((r) => child.once('exit', r));
  try {
    const started = performance.now();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}:\n${stderr}`);
      if (performance.now() - started > 180_000) throw new Error(`not ready after 180 s:\n${stderr}`);
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      await sleep(200);
    }
    const startSeconds = (performance.now() - started) / 1000;
    await sleep(IDLE_MS);
    return { ...readStatus(child.pid), startSeconds };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const withPostgres = await postgresAnswers();
if (!withPostgres) console.error(`no PostgreSQL at ${POSTGRES_URL}: embedded PGlite only`);
const redis = await startRedis();
const backends = ['PGlite (embedded, default)', ...(withPostgres ? ['PostgreSQL'] : [])];
const results = new Map(); // "backend / case" -> [{ rss, peak, startSeconds }]
const record = (key, value) => results.set(key, [...(results.get(key) ?? []), value]);
try {
  for (let round = 1; round <= RUNS; round++) {
    // Each round starts with the other backend, so neither always runs on a fresher machine.
    const order = round % 2 ? backends : [...backends].reverse();
    for (const backend of order) {
      const dataDir = mkdtempSync(join(tmpdir(), 'strata-bench-memory-'));
      const database = `strata_bench_memory_${process.pid}_${round}`;
      const env = { REDIS_URL: redis.url, DATA_DIR: dataDir };
      if (backend === 'PostgreSQL') {
        await onPostgres(`CREATE DATABASE ${database}`);
        env.DATABASE_URL = databaseUrl(database);
      }
      try {
        for (const when of ['first start', 'restart']) {
          const figure = await measure(env);
          record(`${backend} / ${when}`, figure);
          console.error(
            `round ${round} ${backend}, ${when}: ${(figure.rss / MB).toFixed(0)} MB idle, ` +
              `peak ${(figure.peak / MB).toFixed(0)} MB, ready in ${figure.startSeconds.toFixed(1)} s`,
          );
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
        if (backend === 'PostgreSQL') await onPostgres(`DROP DATABASE IF EXISTS ${database}`);
      }
    }
  }
} finally {
  await redis.stop();
}

const mb = (bytes) => (bytes / MB).toFixed(0);
console.log(`\nidle RSS after ${IDLE_MS / 1000} s, median of ${RUNS} (min-max); Node ${process.version}\n`);
console.log('| backend / start | idle RSS MB | range | peak RSS MB | ready in s |');
console.log('|---|---|---|---|---|');
for (const [key, runs] of results) {
  const rss = runs.map((r) => r.rss);
  console.log(
    `| ${key} | ${mb(median(rss))} | ${mb(Math.min(...rss))}-${mb(Math.max(...rss))} | ` +
      `${mb(median(runs.map((r) => r.peak)))} | ${median(runs.map((r) => r.startSeconds)).toFixed(1)} |`,
  );
}
