// npm run bench:taxonomy: GET /v1/taxonomy/masks under autocannon -c 50 -d 10, median of 3, against a
// bare Fastify server sending the same bytes, all in this one run on this machine. See docs/benchmarks.md.
import { spawn } from 'node:child_process';
import { DEFAULT_RATE_LIMITS } from '../dist/rate-limit/rate-limit-rules.js';
import { cannon, freePort, medianOf, sleep, startRedis, startService } from './lib/harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const KEY = 'bench-client-key-0123456789abcdef';
const API_KEYS = `bench:client:${KEY},ops:admin:bench-admin-key-0123456789abcdef`;
const headers = { authorization: `Bearer ${KEY}` };
const PATH = '/v1/taxonomy/masks';

const run = (url, runs = RUNS) => medianOf(runs, () => cannon(url, { duration: DURATION, headers }));

async function measureService(label, env, { killRedis = false, runs = RUNS } = {}) {
  const redis = await startRedis();
  // The api role: what serves reads in production (workers run in their own processes).
  const service = await startService({ API_KEYS, APP_ROLE: 'api', REDIS_URL: redis.url, ...env });
  const url = `${service.base}${PATH}`;
  for (let i = 0; i < 20; i++) await fetch(url, { headers }).then((r) => r.arrayBuffer());
  if (killRedis) {
    await redis.kill();
    await sleep(1_500);
  }
  await cannon(url, { duration: 2, headers }); // warm-up
  const result = await run(url, runs);
  const body = Buffer.from(await (await fetch(url, { headers })).arrayBuffer());
  const rss = await service.rssBytes();
  await service.stop();
  await redis.stop();
  console.error(`${label}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms, errors ${result.errors}`);
  return { label, ...result, rss, body };
}

async function measureBaseline(body) {
  const port = await freePort();
  const child = spawn(process.execPath, ['bench/lib/bare-server.mjs', String(port), body.toString('base64')], { stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}${PATH}`;
  for (;;) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      await sleep(50);
    }
  }
  await cannon(url, { duration: 2 });
  const result = await run(url);
  child.kill('SIGTERM');
  console.error(`baseline: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms`);
  return { label: '(a) bare Fastify, same bytes from memory', ...result };
}

// The default limits, plus a line of the bench key's own so its requests are admitted: a refused request
// is cheaper than a served one and would flatter the limiter.
const LIMITS = { RATE_LIMITS: `${DEFAULT_RATE_LIMITS},bench:default=1000000000/60s` };
if (process.env.BENCH_ONLY === 'limiter') {
  // Limiter on and off, alternated, so drift in the machine's load hits both alike.
  const on = [];
  const off = [];
  for (let i = 0; i < RUNS; i++) {
    off.push((await measureService(`(b0) rate limits off, pair ${i + 1}`, { RATE_LIMITS_ENABLED: 'false' }, { runs: 1 })).rps);
    on.push((await measureService(`(b) rate limits on, pair ${i + 1}`, LIMITS, { runs: 1 })).rps);
  }
  const ratios = on.map((rps, i) => rps / off[i]).sort((x, y) => x - y);
  const median = ratios[Math.floor(ratios.length / 2)];
  console.log(`rate limiter on/off, ${RUNS} alternated pairs: ${ratios.map((r) => `${(r * 100).toFixed(1)}%`).join(', ')}; median ${(median * 100).toFixed(1)}% (target ≥ 95%: ${median >= 0.95 ? 'met' : 'NOT met'})`);
  process.exit(0);
}
const hit = await measureService('(b) cache hit (memory tier), rate limits on', LIMITS);
const noLimiter = await measureService('(b0) cache hit, rate limits off', { RATE_LIMITS_ENABLED: 'false' });
const baseline = await measureBaseline(hit.body);
const redisTier = await measureService('(c) cache hit, Redis tier only', { ...LIMITS, CACHE_MEMORY_TIER: 'false' });
const noCache = await measureService('(d) cache off (database)', { ...LIMITS, CACHE_ENABLED: 'false' });
const fallback = await measureService('(e) Redis killed (memory fallback)', LIMITS, { killRedis: true });

const rows = [baseline, noLimiter, hit, redisTier, noCache, fallback];
const targets = { '(b)': 0.8, '(c)': 0.55, '(e)': 0.7 };
const lines = [
  `| case | req/s (median of ${RUNS}) | ratio to (a) | target | p99 ms | errors |`,
  '|---|---|---|---|---|---|',
  ...rows.map((r) => {
    const ratio = r.rps / baseline.rps;
    const target = targets[r.label.slice(0, 3)];
    return `| ${r.label} | ${Math.round(r.rps)} | ${(ratio * 100).toFixed(1)}% | ${target ? `≥ ${Math.round(target * 100)}%` : ''} | ${r.p99} | ${r.errors} |`;
  }),
];
console.log(lines.join('\n'));
const limiterRatio = hit.rps / noLimiter.rps;
console.log(`\nrate limiter: (b) ${Math.round(hit.rps)} req/s with limits on / (b0) ${Math.round(noLimiter.rps)} req/s off = ${(limiterRatio * 100).toFixed(1)}% (target ≥ 95%: ${limiterRatio >= 0.95 ? 'met' : 'NOT met'})`);
console.log(`(e) p99 ${fallback.p99} ms vs 2 × (b) p99 = ${2 * hit.p99} ms: ${fallback.p99 <= 2 * hit.p99 ? 'met' : 'NOT met'}`);
console.log(`RSS of the service after its run: (b) ${(hit.rss / 2 ** 20).toFixed(0)} MiB, (c) ${(redisTier.rss / 2 ** 20).toFixed(0)} MiB, (d) ${(noCache.rss / 2 ** 20).toFixed(0)} MiB, (e) ${(fallback.rss / 2 ** 20).toFixed(0)} MiB`);
