// npm run bench:topology: the service on a Redis Cluster (three masters, a replica each) against the same
// service on one redis-server, in this one run on this machine. Cases: a cached hit from the memory tier,
// a cached hit from the Redis tier only (CACHE_MEMORY_TIER=false: one GET per request), and an enqueue
// (POST of the bench's no-op task to the api role, bench/lib/queue-api.mjs). Each under autocannon and
// under wrk, -c 50. Every service is up at once; each round measures every case once, in turn, starting
// one further on each round, so drift in the shared machine's load falls on both topologies alike. A
// case's figure is its median; the ratio Cluster / standalone has a target of 0.8 (issue 19).
// See docs/benchmarks.md and docs/redis-topologies.md.
import { DEFAULT_RATE_LIMITS } from '../dist/config/rate-limit-rules.js';
import { startCluster } from './lib/cluster.mjs';
import {
  cannon,
  median,
  requireWrk,
  startEnqueueService,
  startRedis,
  startService,
  wrk,
} from './lib/harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const TARGET = 0.8;
const KEY = 'bench-client-key-0123456789abcdef';
const API_KEYS = `bench:client:${KEY},ops:admin:bench-admin-key-0123456789abcdef`;
const auth = { authorization: `Bearer ${KEY}` };
// The default limits stay on, with a line of the bench key's own (as in bench/taxonomy.mjs).
const LIMITS = { RATE_LIMITS: `${DEFAULT_RATE_LIMITS},bench:default=1000000000/60s` };
const TOOLS = { autocannon: cannon, wrk };

requireWrk();
const standalone = await startRedis();
const cluster = await startCluster();
const topologies = { standalone: standalone.url, cluster: cluster.url };

// BENCH_ONLY=enqueue (or hit,redis-hit) measures some cases only, while tuning one.
const ONLY = process.env.BENCH_ONLY?.split(',').map((id) => id.trim());
const CASES = [
  { id: 'hit', label: 'cached hit (memory tier)', env: LIMITS },
  { id: 'redis-hit', label: 'cached hit (Redis tier only)', env: { ...LIMITS, CACHE_MEMORY_TIER: 'false' } },
  { id: 'enqueue', label: 'enqueue (POST /v1/tasks/noop, 202)' },
].filter((c) => !ONLY || ONLY.includes(c.id));

const targets = [];
for (const c of CASES) {
  for (const [topology, url] of Object.entries(topologies)) {
    let service;
    let request;
    if (c.id === 'enqueue') {
      service = await startEnqueueService(url, API_KEYS);
      request = {
        url: service.url,
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ input: {} }),
      };
    } else {
      service = await startService({ API_KEYS, APP_ROLE: 'api', REDIS_URL: url, ...c.env });
      request = { url: `${service.base}/v1/taxonomy/masks`, headers: auth };
    }
    for (const [tool, run] of Object.entries(TOOLS)) {
      targets.push({ case: c, topology, tool, request, run, runs: [], stop: service.stop });
    }
  }
}

const measure = (t, duration) => {
  const { url, ...options } = t.request;
  return t.run(url, { ...options, duration });
};
for (const t of targets) await measure(t, 2); // warm-up: JIT, scripts loaded, slots cached
for (let round = 1; round <= RUNS; round++) {
  const order = targets.map((_, i) => targets[(i + round - 1) % targets.length]);
  for (const t of order) {
    const r = await measure(t, DURATION);
    t.runs.push(r);
    console.error(
      `round ${round} ${t.case.label}, ${t.topology}, ${t.tool}: ${Math.round(r.rps)} req/s, p99 ${r.p99} ms, errors ${r.errors}`,
    );
  }
}
for (const stop of new Set(targets.map((t) => t.stop))) await stop();
await cluster.stop();
await standalone.stop();

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const find = (c, topology, tool) =>
  targets.find((t) => t.case === c && t.topology === topology && t.tool === tool);
const lines = [
  `| case | tool | standalone req/s | Cluster req/s | Cluster / standalone (median of ${RUNS}) | per round | target | p99 ms (s / C) | errors |`,
  '|---|---|---|---|---|---|---|---|---|',
];
for (const c of CASES) {
  for (const tool of Object.keys(TOOLS)) {
    const s = find(c, 'standalone', tool);
    const k = find(c, 'cluster', tool);
    const rps = (t) => median(t.runs.map((r) => r.rps));
    const p99 = (t) => median(t.runs.map((r) => r.p99));
    const errors = [...s.runs, ...k.runs].reduce((sum, r) => sum + r.errors, 0);
    const ratio = rps(k) / rps(s);
    const rounds = k.runs.map((r, i) => pct(r.rps / s.runs[i].rps)).join(', ');
    lines.push(
      `| ${c.label} | ${tool} | ${Math.round(rps(s))} | ${Math.round(rps(k))} | ${pct(ratio)} | ${rounds} | ` +
        `≥ ${pct(TARGET)}${ratio >= TARGET ? '' : ' (not met)'} | ${p99(s)} / ${p99(k)} | ${errors} |`,
    );
  }
}
console.log(lines.join('\n'));
