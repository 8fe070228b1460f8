// npm run bench:taxonomy: a cached read (GET /v1/taxonomy/masks) under wrk and under autocannon (-c 50,
// BENCH_DURATION s a run), against baselines sending the same bytes, all in this one run on this machine.
// See docs/benchmarks.md for the method and the latest table.
//
// Every case runs in its own process (the services each with their own redis-server), and all are up
// at once; each round measures every case once, in turn, starting one case further on each round, so
// drift in the machine's load (it is shared) falls on all cases alike. A case's figure is its median.
import { spawn } from 'node:child_process';
import { DEFAULT_RATE_LIMITS } from '../dist/config/rate-limit-rules.js';
import {
  cannon,
  freePort,
  median,
  requireWrk,
  sleep,
  START_FLAGS,
  startRedis,
  startService,
  wrk,
} from './lib/harness.mjs';
import { databaseUrl, onPostgres, POSTGRES_URL, postgresAnswers } from './lib/postgres.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const KEY = 'bench-client-key-0123456789abcdef';
const API_KEYS = `bench:client:${KEY},ops:admin:bench-admin-key-0123456789abcdef`;
const auth = { authorization: `Bearer ${KEY}` };
const PATH = '/v1/taxonomy/masks';
// The default limits, plus a line of the bench key's own so its requests are admitted: a refused request
// is cheaper than a served one and would flatter the limiter.
const LIMITS = { RATE_LIMITS: `${DEFAULT_RATE_LIMITS},bench:default=1000000000/60s` };
const TENANT = { STRATA_EXTENSIONS: 'bench/lib/tenant-policy.extension.mjs' };
const TOOLS = { wrk, autocannon: cannon };
const NODE_ADDS = ['date', 'connection', 'keep-alive'];

/** The service cases; `of`: the case a target ratio is taken against (default: (a), bare Fastify). */
const SERVICES = [
  { id: 'b', label: 'hit, fast path', env: LIMITS, target: 1.2 },
  {
    id: 'p',
    label: 'hit, fast path, tenant policy registered',
    env: { ...LIMITS, ...TENANT },
    tenant: true,
    target: 1.1,
  },
  {
    id: 'o',
    label: 'hit, CACHE_FAST_PATH=off (through Nest)',
    env: { ...LIMITS, CACHE_FAST_PATH: 'off' },
    target: 0.47,
  },
  // (o) without PGlite in the process: what the embedded database costs the Nest road. Only when a
  // PostgreSQL server answers (bench/lib/postgres.mjs); the bench makes a database for it and drops it.
  {
    id: 'q',
    label: 'hit, CACHE_FAST_PATH=off, on PostgreSQL',
    env: { ...LIMITS, CACHE_FAST_PATH: 'off' },
    postgres: true,
    target: 0.47,
  },
  {
    id: 'e',
    label: 'hit, Redis killed (memory fallback)',
    env: LIMITS,
    killRedis: true,
    target: 0.9,
    of: 'b',
  },
  // The limiter's cost on a hit (README, "Rate limits": the default window is counted in process so a
  // hit pays no Redis round trip; target: (b) >= 0.95 x (l)).
  { id: 'l', label: 'hit, fast path, RATE_LIMITS_ENABLED=false', env: { RATE_LIMITS_ENABLED: 'false' } },
  {
    id: 'f',
    label: `hit, fast path, without ${START_FLAGS.join(' ') || 'node flags'}`,
    env: LIMITS,
    flags: [],
  },
];

async function startCase(c) {
  const redis = await startRedis();
  const database = `strata_bench_taxonomy_${process.pid}`;
  const env = { API_KEYS, APP_ROLE: 'api', REDIS_URL: redis.url, ...c.env };
  if (c.postgres) {
    await onPostgres(`CREATE DATABASE ${database}`);
    env.DATABASE_URL = databaseUrl(database);
  }
  const dropDatabase = () => (c.postgres ? onPostgres(`DROP DATABASE IF EXISTS ${database}`) : undefined);
  // The api role: what serves reads in production (workers run in their own processes).
  const flags = c.flags ? { flags: c.flags } : {};
  const service = await startService(env, flags);
  const url = `${service.base}${PATH}`;
  const headers = c.tenant ? { ...auth, 'x-tenant': 'acme' } : auth;
  for (let i = 0; i < 20; i++) await fetch(url, { headers }).then((r) => r.arrayBuffer());
  if (c.killRedis) {
    await redis.kill();
    await sleep(1_500);
  }
  const answer = await fetch(url, { headers });
  if (answer.headers.get('x-cache') !== 'HIT')
    throw new Error(`(${c.id}) answered ${answer.status}, not a hit`);
  const body = Buffer.from(await answer.arrayBuffer());
  const answerHeaders = [...answer.headers].filter(([name]) => !NODE_ADDS.includes(name)).flat();
  const stop = () =>
    service
      .stop()
      .then(() => redis.stop())
      .then(dropDatabase);
  return { ...c, url, headers, body, answerHeaders, runs: { wrk: [], autocannon: [] }, stop };
}

/** A baseline in a process of its own, sending `body` (and, for (n), the service's headers). */
async function startBaseline(id, label, script, args, headers = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [script, String(port), ...args], { stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}${PATH}`;
  for (;;) {
    try {
      if ((await fetch(url, { headers })).ok) break;
    } catch {
      await sleep(50);
    }
  }
  const stopped = new Promise((r) => child.once('exit', r));
  return {
    id,
    label,
    url,
    headers,
    runs: { wrk: [], autocannon: [] },
    stop: () => (child.kill('SIGTERM'), stopped),
  };
}

requireWrk();
// One after another: started together on two busy cores, a first start (PGlite's initdb) took minutes.
const services = [];
// BENCH_ONLY=b,l runs those service cases only (the baselines always run), while tuning one.
const ONLY = process.env.BENCH_ONLY?.split(',').map((id) => id.trim());
const withPostgres = await postgresAnswers();
if (!withPostgres) console.error(`no PostgreSQL at ${POSTGRES_URL}: case (q) left out`);
const chosen = SERVICES.filter((c) => (!ONLY || ONLY.includes(c.id)) && (withPostgres || !c.postgres));
for (const c of chosen) services.push(await startCase(c));
const hit = services[0];
const b64 = (x) => Buffer.from(x).toString('base64');
const baselines = [
  await startBaseline('a', 'bare Fastify, same bytes', 'bench/lib/bare-server.mjs', [b64(hit.body)]),
  await startBaseline(
    'n',
    'minimal Nest app: global guard (Map lookup), interceptor `of(bytes)`, same headers',
    'bench/lib/minimal-nest.mjs',
    [b64(hit.body), b64(JSON.stringify(hit.answerHeaders)), KEY],
    auth,
  ),
];
const targets = [...baselines, ...services];
for (const t of targets) await wrk(t.url, { duration: 2, headers: t.headers }); // warm-up
for (let round = 1; round <= RUNS; round++) {
  const order = targets.map((_, i) => targets[(i + round - 1) % targets.length]);
  for (const [tool, load] of Object.entries(TOOLS)) {
    for (const t of order) {
      const run = await load(t.url, { duration: DURATION, headers: t.headers });
      t.runs[tool].push(run);
      console.error(
        `round ${round} ${tool} (${t.id}) ${t.label}: ${Math.round(run.rps)} req/s, p99 ${run.p99} ms, errors ${run.errors}`,
      );
    }
  }
}
for (const t of targets) await t.stop();

const byId = Object.fromEntries(targets.map((t) => [t.id, t]));
const fig = (t, tool) => ({
  rps: median(t.runs[tool].map((r) => r.rps)),
  p99: median(t.runs[tool].map((r) => r.p99)),
  errors: t.runs[tool].reduce((s, r) => s + r.errors, 0),
});
const x = (v) => `${v.toFixed(2)}×`;
for (const tool of Object.keys(TOOLS)) {
  const a = fig(byId.a, tool).rps;
  console.log(`\n${tool}, -c 50, ${DURATION} s a run, median of ${RUNS} interleaved rounds`);
  console.log('| case | req/s | × (a) | target | p99 ms | errors |\n|---|---|---|---|---|---|');
  for (const t of targets) {
    const { rps, p99, errors } = fig(t, tool);
    const base = byId[t.of ?? 'a'] ? fig(byId[t.of ?? 'a'], tool).rps : NaN;
    const target =
      t.target && base
        ? `≥ ${t.target} × (${t.of ?? 'a'}): ${x(rps / base)} ${rps / base >= t.target ? 'met' : 'NOT met'}`
        : '';
    console.log(
      `| (${t.id}) ${t.label} | ${Math.round(rps)} | ${x(rps / a)} | ${target} | ${p99} | ${errors} |`,
    );
  }
  const ratio = (top, bottom, target, what) => {
    if (!byId[top] || !byId[bottom]) return;
    const r = fig(byId[top], tool).rps / fig(byId[bottom], tool).rps;
    const verdict =
      target === undefined ? '' : ` (target ≥ ${target}×${what}: ${r >= target ? 'met' : 'NOT met'})`;
    console.log(`(${top}) / (${bottom}) = ${x(r)}${verdict}`);
  };
  ratio('o', 'n', 0.9, ', within 10% of the minimal Nest app');
  ratio('q', 'n', 0.9, ', the same on PostgreSQL');
  ratio('b', 'l', 0.95, ', the limiter on a hit');
  ratio('b', 'f', undefined, `: node flags ${START_FLAGS.join(' ') || 'none'} on / off`);
}
