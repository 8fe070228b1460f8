// npm run bench:queue: what the tasks layer costs over raw BullMQ, median of 3, all in this one run on
// this machine. (a) raw Queue.add, 50 in flight; (b) POST /v1/tasks/noop under autocannon -c 50;
// (c) a raw Worker draining no-op jobs at concurrency 50; (d) the same through our Nest @Processor.
// Targets: (b) >= 50% of (a), (d) >= 90% of (c). See docs/benchmarks.md.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createWorkerContext } from '../dist/app.factory.js';
import { loadConfig } from '../dist/config/load-config.js';
import { freePort, median, startRedis } from './lib/harness.mjs';
import { NoopProcessor, noopStats, noopTaskModule } from './lib/queue-noop-task.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const JOBS = Number(process.env.BENCH_JOBS ?? 20_000);
const IN_FLIGHT = 50;
const KEY = 'bench-client-key-0123456789abcdef';
const API_KEYS = `bench:client:${KEY},ops:admin:bench-admin-key-0123456789abcdef`;
const PREFIX = 'strata';
// What our producer gives every job, so the raw runs do the same Redis work.
const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 86_400, count: 1_000 },
  removeOnFail: { age: 604_800, count: 5_000 },
};

const redis = await startRedis();
const client = (options = {}) => new Redis(redis.url, { maxRetriesPerRequest: null, ...options });
const admin = client();
const flush = () => admin.flushall();

async function rawAdd() {
  await flush();
  const connection = client();
  const queue = new Queue('raw', { connection, prefix: PREFIX, defaultJobOptions: JOB_OPTIONS });
  await queue.waitUntilReady();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next++ < JOBS) await queue.add('raw', { input: {}, owner: 'bench' });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await queue.close();
  connection.disconnect();
  return JOBS / seconds;
}

async function apiPost() {
  await flush();
  const port = await freePort();
  const child = spawn(process.execPath, ['bench/lib/queue-api.mjs', String(port), redis.url, API_KEYS], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: child.stdout })) if (line === 'ready') break;
  const post = (amount) =>
    autocannon({
      url: `http://127.0.0.1:${port}/v1/tasks/noop`,
      method: 'POST',
      connections: IN_FLIGHT,
      amount,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input: {} }),
    });
  // Warm-up, as the taxonomy bench does: a cold process (JIT, the queue's first scripts) is not the
  // steady state, and 50 requests waiting on the first script load would count against the API.
  await post(2_000);
  await flush();
  const started = performance.now();
  const result = await post(JOBS);
  // Wall-clock time: autocannon's own `duration` is whole seconds, too coarse for a run of a few.
  const seconds = (performance.now() - started) / 1000;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  const accepted = result['2xx'];
  if (accepted !== JOBS) console.error(`(b): ${JOBS - accepted} requests were not accepted`);
  return accepted / seconds;
}

async function fill(queueName) {
  const queue = new Queue(queueName, {
    connection: client(),
    prefix: PREFIX,
    defaultJobOptions: JOB_OPTIONS,
  });
  for (let i = 0; i < JOBS; i += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, JOBS - i) }, () => ({
      name: queueName,
      data: { input: {}, owner: 'bench' },
    }));
    await queue.addBulk(batch);
  }
  await queue.close();
}

/** Resolves with jobs/s from the first job started to the last one completed. */
function drained(worker, firstStarted) {
  let done = 0;
  return new Promise((resolve) => {
    worker.on('completed', () => {
      if (++done === JOBS) resolve(JOBS / ((performance.now() - firstStarted()) / 1000));
    });
  });
}

async function rawWorker() {
  await flush();
  await fill('raw');
  let first = 0;
  const connection = client();
  const worker = new Worker(
    'raw',
    async () => {
      first ||= performance.now();
      return null;
    },
    { connection, prefix: PREFIX, concurrency: IN_FLIGHT, autorun: false },
  );
  const rate = drained(worker, () => first);
  void worker.run();
  const result = await rate;
  await worker.close();
  connection.disconnect();
  return result;
}

async function nestWorker() {
  await flush();
  await fill('noop');
  noopStats.first = 0;
  const config = loadConfig({
    APP_ROLE: 'worker',
    LOG_LEVEL: 'warn',
    API_KEYS,
    REDIS_URL: redis.url,
    NODE_ENV: 'production',
    DATA_DIR: `/tmp/strata-bench-worker-${process.pid}`,
  });
  const app = await createWorkerContext(config, [noopTaskModule(true)]);
  // The workers start in onApplicationBootstrap; listening must begin before, so count from the module.
  const ready = app.init();
  await ready;
  const worker = app.get(NoopProcessor).worker;
  const already = await new Queue('noop', { connection: client(), prefix: PREFIX }).getJobCounts('completed');
  const rate = drainedFrom(worker, already.completed);
  const result = await rate;
  await app.close();
  return result;
}

/** Like `drained`, for a worker that may have finished some jobs before we could listen. */
function drainedFrom(worker, alreadyDone) {
  let done = alreadyDone;
  return new Promise((resolve) => {
    worker.on('completed', () => {
      if (++done >= JOBS) resolve(JOBS / ((performance.now() - noopStats.first) / 1000));
    });
  });
}

const ONLY = process.env.BENCH_ONLY; // e.g. "b" while tuning one measurement

async function medianRate(label, once) {
  if (ONLY && !label.startsWith(`(${ONLY})`)) return NaN;
  const rates = [];
  for (let i = 0; i < RUNS; i++) rates.push(await once());
  const m = median(rates);
  console.error(`${label}: ${Math.round(m)} jobs/s (runs: ${rates.map(Math.round).join(', ')})`);
  return m;
}

const a = await medianRate('(a) raw Queue.add, 50 in flight', rawAdd);
const b = await medianRate('(b) POST /v1/tasks/noop, autocannon -c 50', apiPost);
const c = await medianRate('(c) raw Worker, concurrency 50', rawWorker);
const d = await medianRate('(d) Nest @Processor, concurrency 50', nestWorker);
admin.disconnect();
await redis.stop();

const pct = (x) => `${Math.round(x * 100)}%`;
console.log(`
| run | jobs/s (median of ${RUNS}) |
|---|---|
| (a) raw \`Queue.add\`, 50 in flight, ${JOBS} jobs | ${Math.round(a)} |
| (b) \`POST /v1/tasks/noop\`, autocannon -c 50, ${JOBS} requests | ${Math.round(b)} |
| (c) raw \`Worker\`, concurrency 50, ${JOBS} no-op jobs | ${Math.round(c)} |
| (d) our Nest \`@Processor\`, concurrency 50, ${JOBS} no-op jobs | ${Math.round(d)} |

(b)/(a) = ${pct(b / a)} (target >= 50%); (d)/(c) = ${pct(d / c)} (target >= 90%)`);
process.exit(0);
