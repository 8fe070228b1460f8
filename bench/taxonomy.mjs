// npm run bench:taxonomy: GET /v1/taxonomy/masks under autocannon -c 50 -d 10, median of 3, against a
// bare Fastify server sending the same bytes, all in this one run on this machine. See docs/benchmarks.md.
//
// Every case runs in its own process (with its own redis-server), and all of them are up at once; each
// round measures every case once, in turn, so drift in the machine's load (it is shared) falls on all
// cases alike instead of on whichever ran during a busy minute. The figure of a case is its median.
import { spawn } from 'node:child_process';
import { DEFAULT_RATE_LIMITS } from '../dist/config/rate-limit-rules.js';
import { cannon, freePort, median, sleep, startRedis, startService } from './lib/harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const KEY = 'bench-client-key-0123456789abcdef';
const API_KEYS = `bench:client:${KEY},ops:admin:bench-admin-key-0123456789abcdef`;
const headers = { authorization: `Bearer ${KEY}` };
const PATH = '/v1/taxonomy/masks';

// The default limits, plus a line of the bench key's own so its requests are admitted: a refused request
// is cheaper than a served one and would flatter the limiter.
const LIMITS = { RATE_LIMITS: `${DEFAULT_RATE_LIMITS},bench:default=1000000000/60s` };

const CASES = [
  { id: '(b0)', label: '(b0) cache hit, rate limits off', env: { RATE_LIMITS_ENABLED: 'false' } },
  { id: '(b)', label: '(b) cache hit (memory tier), rate limits on', env: LIMITS, target: 0.8 },
  {
    id: '(c)',
    label: '(c) cache hit, Redis tier only',
    env: { ...LIMITS, CACHE_MEMORY_TIER: 'false' },
    target: 0.55,
  },
  { id: '(d)', label: '(d) cache off (database)', env: { ...LIMITS, CACHE_ENABLED: 'false' } },
  { id: '(e)', label: '(e) Redis killed (memory fallback)', env: LIMITS, killRedis: true, target: 0.7 },
];
const only = process.env.BENCH_ONLY === 'limiter' ? ['(b0)', '(b)'] : undefined;
const cases = CASES.filter((c) => !only || only.includes(c.id));

async function startCase(c) {
  const redis = await startRedis();
  // The api role: what serves reads in production (workers run in their own processes).
  const service = await startService({ API_KEYS, APP_ROLE: 'api', REDIS_URL: redis.url, ...c.env });
  const url = `${service.base}${PATH}`;
  for (let i = 0; i < 20; i++) await fetch(url, { headers }).then((r) => r.arrayBuffer());
  if (c.killRedis) {
    await redis.kill();
    await sleep(1_500);
  }
  const answer = await fetch(url, { headers });
  const body = Buffer.from(await answer.arrayBuffer());
  // What the service answers with, minus what Node's HTTP server adds by itself (for case (a2)).
  const answerHeaders = [...answer.headers].filter(([name]) => !NODE_ADDS.includes(name)).flat();
  return {
    ...c,
    url,
    headers,
    body,
    answerHeaders,
    runs: [],
    stop: () => service.stop().then(() => redis.stop()),
    rss: service.rssBytes,
  };
}

const NODE_ADDS = ['date', 'connection', 'keep-alive'];

/** (a): bare Fastify with the body alone. (a2): a raw Node server with the service's headers too. */
async function startBaseline(body, answerHeaders) {
  const port = await freePort();
  const args = [String(port), body.toString('base64')];
  if (answerHeaders) args.push(Buffer.from(JSON.stringify(answerHeaders)).toString('base64'));
  const child = spawn(process.execPath, ['bench/lib/bare-server.mjs', ...args], { stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}${PATH}`;
  for (;;) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      await sleep(50);
    }
  }
  const stopped = new Promise((r) => child.once('exit', r));
  const [id, label] = answerHeaders
    ? ['(a2)', "(a2) raw Node server, same bytes and the service's headers"]
    : ['(a)', '(a) bare Fastify, same bytes from memory'];
  return { id, label, url, headers: {}, runs: [], stop: () => (child.kill('SIGTERM'), stopped) };
}

const started = [];
for (const c of cases) started.push(await startCase(c));
const hit = started.find((c) => c.id === '(b)');
const baselines = [await startBaseline(started[0].body)];
if (!only) baselines.push(await startBaseline(hit.body, hit.answerHeaders));
const targets = [...baselines, ...started];
for (const t of targets) await cannon(t.url, { duration: 2, headers: t.headers }); // warm-up
for (let round = 1; round <= RUNS; round++) {
  // Each round starts one case further on, so no case always runs first in a round or always follows
  // the same case.
  const order = targets.map((_, i) => targets[(i + round - 1) % targets.length]);
  for (const t of order) {
    const run = await cannon(t.url, { duration: DURATION, headers: t.headers });
    t.runs.push(run);
    console.error(
      `round ${round} ${t.label}: ${Math.round(run.rps)} req/s, p99 ${run.p99} ms, errors ${run.errors}`,
    );
  }
}
const rss = {};
for (const t of started) rss[t.id] = await t.rss();
for (const t of targets) await t.stop();

const figure = (t) => ({
  rps: median(t.runs.map((r) => r.rps)),
  p99: median(t.runs.map((r) => r.p99)),
  errors: t.runs.reduce((s, r) => s + r.errors, 0),
});
const byId = Object.fromEntries(targets.map((t) => [t.id, { ...t, ...figure(t) }]));
const pct = (x) => `${(x * 100).toFixed(1)}%`;

if (only) {
  // Round by round: each pair ran back to back.
  const ratios = byId['(b)'].runs.map((r, i) => r.rps / byId['(b0)'].runs[i].rps).sort((x, y) => x - y);
  const m = median(ratios);
  console.log(
    `rate limiter on/off, ${RUNS} rounds: ${ratios.map(pct).join(', ')}; median ${pct(m)} (target ≥ 95%: ${m >= 0.95 ? 'met' : 'NOT met'})`,
  );
  process.exit(0);
}

const a = byId['(a)'];
const lines = [
  `| case | req/s (median of ${RUNS}) | ratio to (a) | target | p99 ms | errors |`,
  '|---|---|---|---|---|---|',
  ...['(a)', '(a2)', '(b0)', '(b)', '(c)', '(d)', '(e)'].map((id) => {
    const r = byId[id];
    const target = r.target
      ? `≥ ${Math.round(r.target * 100)}%${r.rps / a.rps >= r.target ? '' : ' (not met)'}`
      : '';
    return `| ${r.label} | ${Math.round(r.rps)} | ${pct(r.rps / a.rps)} | ${target} | ${r.p99} | ${r.errors} |`;
  }),
];
console.log(lines.join('\n'));
const b = byId['(b)'];
const b0 = byId['(b0)'];
const e = byId['(e)'];
const perRound = b.runs.map((r, i) => pct(r.rps / b0.runs[i].rps)).join(', ');
console.log(
  `\nrate limiter: (b) ${Math.round(b.rps)} req/s with limits on / (b0) ${Math.round(b0.rps)} req/s off = ${pct(b.rps / b0.rps)} (target ≥ 95%: ${b.rps / b0.rps >= 0.95 ? 'met' : 'NOT met'}; round by round ${perRound})`,
);
console.log(
  `(e) p99 ${e.p99} ms vs 2 × (b) p99 = ${2 * b.p99} ms: ${e.p99 <= 2 * b.p99 ? 'met' : 'NOT met'}`,
);
// (a2) sends the service's header set with no work at all: no server sending those headers does better.
const a2 = byId['(a2)'];
console.log(
  `against (a2), the ceiling of this header set: ${['(b)', '(c)', '(e)'].map((id) => `${id} ${pct(byId[id].rps / a2.rps)}`).join(', ')}`,
);
console.log(
  `RSS of each service after the runs: ${started.map((t) => `${t.id} ${(rss[t.id] / 2 ** 20).toFixed(0)} MiB`).join(', ')}`,
);
