// npm run bench:queue: what the tasks layer costs over raw BullMQ, median of 3, all in this one run on
// this machine. (a) raw Queue.add, 50 in flight; (b) POST /v1/tasks/noop under autocannon -c 50;
// (c) a raw Worker draining no-op jobs at concurrency 50; (d) the same through our Nest @Processor.
// (b-floor) is (b)'s load against a server that only parses and adds: the most any HTTP producer gets.
// (b) and (b-floor) also run under wrk (-c 50, BENCH_DURATION s), their rounds interleaved.
// Targets: (b) >= 50% of (a), (b) >= 55% of (b-floor), (d) >= 90% of (c). See docs/benchmarks.md.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createWorkerContext } from '../dist/app.factory.js';
import { loadConfig } from '../dist/config/load-config.js';
import { cpuMicros, freePort, median, requireWrk, startRedis, wrk } from './lib/harness.mjs';
import { NoopProcessor, noopStats, noopTaskModule } from './lib/queue-noop-task.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const JOBS = Number(process.env.BENCH_JOBS ?? 20_000);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
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
  const cpu = cpuMeter({ client: process.pid, redis: redis.pid });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next++ < JOBS) await queue.add('raw', { input: {}, owner: 'bench' });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const perJob = cpu.perJob(JOBS);
  await queue.close();
  connection.disconnect();
  return { rate: JOBS / seconds, cpu: perJob };
}

/** (b) against the api role, or (b-floor) against bench/lib/queue-floor.mjs: the same load either way. */
async function httpPost(script = 'bench/lib/queue-api.mjs', args = [API_KEYS], server = 'API') {
  await flush();
  const port = await freePort();
  const child = spawn(process.execPath, [script, String(port), redis.url, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: child.stdout })) if (line === 'ready') break;
  // Resolves with the accepted count and the time of the last answer. autocannon notices that `amount`
  // requests are done only at its next one-second sample, so its own end (and the wall clock around it)
  // rounds every run up to whole seconds: 20,000 POSTs in 2.1 s counted as 3 s.
  const post = (amount) =>
    new Promise((resolve, reject) => {
      let accepted = 0;
      let last = 0;
      const run = autocannon(
        {
          url: `http://127.0.0.1:${port}/v1/tasks/noop`,
          method: 'POST',
          connections: IN_FLIGHT,
          amount,
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ input: {} }),
        },
        (err) => (err ? reject(err) : resolve({ accepted, last })),
      );
      run.on('response', (_client, status) => {
        last = performance.now();
        if (status === 202) accepted++;
      });
    });
  // Warm-up, as the taxonomy bench does: a cold process (JIT, the queue's first scripts) is not the
  // steady state, and 50 requests waiting on the first script load would count against the API.
  await post(2_000);
  await flush();
  const cpu = cpuMeter({ 'load generator': process.pid, [server]: child.pid, redis: redis.pid });
  const started = performance.now();
  const { accepted, last } = await post(JOBS);
  const seconds = (last - started) / 1000;
  const perJob = cpu.perJob(accepted);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  if (accepted !== JOBS) console.error(`(b): ${JOBS - accepted} requests were not accepted`);
  return { rate: accepted / seconds, cpu: perJob };
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

/** The moment a drain's first job starts: the time, and each process's CPU from then on. */
const startMark = () => ({ at: performance.now(), cpu: cpuMeter({ worker: process.pid, redis: redis.pid }) });

/**
 * Resolves with jobs/s and CPU per job from the first job started (`started()`, a startMark) to the last
 * one completed; `alreadyDone` counts jobs completed before the worker could be listened to.
 */
function drained(worker, started, alreadyDone = 0) {
  let done = alreadyDone;
  return new Promise((resolve) => {
    const count = () => {
      if (++done < JOBS) return;
      worker.off('completed', count);
      const { at, cpu } = started();
      resolve({ rate: JOBS / ((performance.now() - at) / 1000), cpu: cpu.perJob(JOBS) });
    };
    worker.on('completed', count);
  });
}

async function rawWorker() {
  await flush();
  await fill('raw');
  let first;
  const connection = client();
  const worker = new Worker(
    'raw',
    async () => {
      first ??= startMark();
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
  noopStats.onFirst = startMark;
  noopStats.started = undefined;
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
  const rate = drained(worker, () => noopStats.started, already.completed);
  const result = await rate;
  await app.close();
  return result;
}

/** CPU per job of each named process over a measurement (see cpuMicros). */
function cpuMeter(pids) {
  const start = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMicros(pid)]));
  return {
    perJob: (jobs) =>
      Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => [name, (cpuMicros(pid) - start[name]) / jobs]),
      ),
  };
}

// e.g. "b" or "c,d" while tuning some measurements
const ONLY = process.env.BENCH_ONLY?.split(',').map((id) => `(${id.trim()})`);

async function medianRate(label, once) {
  if (ONLY && !ONLY.some((id) => label.startsWith(id))) return { rate: NaN };
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await once();
    runs.push(typeof r === 'number' ? { rate: r } : r);
  }
  return summary(label, runs);
}

/** Several measurements, one round of each in turn (starting one further on each round), RUNS rounds. */
async function interleavedRates(cases) {
  const runs = cases.map(() => []);
  for (let round = 0; round < RUNS; round++) {
    for (let k = 0; k < cases.length; k++) {
      const i = (k + round) % cases.length;
      const r = await cases[i][1]();
      runs[i].push(typeof r === 'number' ? { rate: r } : r);
    }
  }
  return cases.map(([label], i) => summary(label, runs[i]));
}

/** POSTs of the no-op task under wrk for DURATION s against a server already up: 202s a second. */
async function wrkPost(url) {
  await flush();
  const run = await wrk(url, {
    duration: DURATION,
    method: 'POST',
    body: JSON.stringify({ input: {} }),
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
  });
  if (run.errors > 0) console.error(`wrk ${url}: ${run.errors} errors or answers other than 2xx`);
  return run.rps;
}

/** (b) and (b-floor) under wrk: both servers up at once, their rounds interleaved. */
async function wrkRates() {
  const servers = [];
  for (const [script, args] of [
    ['bench/lib/queue-api.mjs', [API_KEYS]],
    ['bench/lib/queue-floor.mjs', [JSON.stringify(JOB_OPTIONS)]],
  ]) {
    const port = await freePort();
    const child = spawn(process.execPath, [script, String(port), redis.url, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    for await (const line of createInterface({ input: child.stdout })) if (line === 'ready') break;
    const url = `http://127.0.0.1:${port}/v1/tasks/noop`;
    await wrk(url, {
      duration: 2,
      method: 'POST',
      body: '{"input":{}}',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    });
    servers.push({ url, child });
  }
  const rates = await interleavedRates([
    ['(b) POST /v1/tasks/noop, wrk -c 50', () => wrkPost(servers[0].url)],
    ['(b-floor) node:http + Queue.add only, wrk -c 50', () => wrkPost(servers[1].url)],
  ]);
  for (const { child } of servers) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  return rates;
}

function summary(label, runs) {
  const rate = median(runs.map((r) => r.rate));
  const cpu = runs[0].cpu
    ? Object.fromEntries(Object.keys(runs[0].cpu).map((name) => [name, median(runs.map((r) => r.cpu[name]))]))
    : undefined;
  console.error(
    `${label}: ${Math.round(rate)} jobs/s (runs: ${runs.map((r) => Math.round(r.rate)).join(', ')})`,
  );
  return { rate, cpu };
}

requireWrk();
const a = await medianRate('(a) raw Queue.add, 50 in flight', rawAdd);
const [b, floor] = await interleavedRates([
  ['(b) POST /v1/tasks/noop, autocannon -c 50', () => httpPost()],
  [
    '(b-floor) node:http + Queue.add only, autocannon -c 50',
    () => httpPost('bench/lib/queue-floor.mjs', [JSON.stringify(JOB_OPTIONS)], 'server'),
  ],
]);
const [bWrk, floorWrk] = await wrkRates();
const c = await medianRate('(c) raw Worker, concurrency 50', rawWorker);
const d = await medianRate('(d) Nest @Processor, concurrency 50', nestWorker);
admin.disconnect();
await redis.stop();

const pct = (x) => `${Math.round(x * 100)}%`;
const budget = (run) =>
  run.cpu
    ? `${Object.entries(run.cpu)
        .map(([name, us]) => `${name} ${us.toFixed(1)}`)
        .join(', ')}; total ${Object.values(run.cpu)
        .reduce((s, us) => s + us, 0)
        .toFixed(1)}`
    : 'not measured';
console.log(`
| run | jobs/s (median of ${RUNS}) |
|---|---|
| (a) raw \`Queue.add\`, 50 in flight, ${JOBS} jobs | ${Math.round(a.rate)} |
| (b) \`POST /v1/tasks/noop\`, autocannon -c 50, ${JOBS} requests | ${Math.round(b.rate)} |
| (b-floor) \`node:http\` + \`JSON.parse\` + \`Queue.add\`, nothing else, same load | ${Math.round(floor.rate)} |
| (c) raw \`Worker\`, concurrency 50, ${JOBS} no-op jobs | ${Math.round(c.rate)} |
| (d) our Nest \`@Processor\`, concurrency 50, ${JOBS} no-op jobs | ${Math.round(d.rate)} |

(b)/(a) = ${pct(b.rate / a.rate)} (target >= 50%); (d)/(c) = ${pct(d.rate / c.rate)} (target >= 90%)
(b-floor)/(a) = ${pct(floor.rate / a.rate)}: the ceiling of (b)/(a) for any HTTP producer here
(b)/(b-floor) = ${pct(b.rate / floor.rate)} under autocannon, ${pct(bWrk.rate / floorWrk.rate)} under wrk (target >= 55%; wrk: (b) ${Math.round(bWrk.rate)}, (b-floor) ${Math.round(floorWrk.rate)} requests/s)

CPU per job, µs (median of ${RUNS}; every process shares this machine's cores):
(a) ${budget(a)}
(b) ${budget(b)}
(b-floor) ${budget(floor)}
(c) ${budget(c)}
(d) ${budget(d)}`);
process.exit(0);
