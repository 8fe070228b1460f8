import { readdirSync, readFileSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { parse } from 'yaml';
import { probeTaskModule } from '../tasks/probe-task.js';
import { TaskClient, TASK_MODULES } from '../tasks/task-test-kit.js';
import { eventually } from '../support/eventually.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, testConfig, TEST_KEYS } from '../support/test-env.js';
import { familiesOf, parseMetrics, valueOf } from './prometheus-text.js';

const SERIES = [
  'http_request_duration_seconds',
  'strata_cache_lookups_total',
  'strata_cache_redis_errors_total',
  'strata_cache_fallback_active',
  'strata_queue_jobs',
  'strata_job_duration_seconds',
  'strata_jobs_completed_total',
  'strata_jobs_failed_total',
  'strata_redis_up',
  'strata_redis_used_memory_bytes',
  'strata_redis_maxmemory_bytes',
  'strata_redis_connected_clients',
  'strata_redis_connection_errors_total',
];

async function scrape(app: NestFastifyApplication) {
  const res = await request(app.getHttpServer()).get('/metrics');
  expect(res.status).toBe(200);
  return { text: res.text, samples: parseMetrics(res.text), contentType: res.headers['content-type'] };
}

describe('GET /metrics (role all)', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let tasks: TaskClient;

  beforeAll(async () => {
    redis = await TestRedis.start({ extraArgs: ['--maxmemory', '64mb'] });
    const env = { TASK_BACKOFF_MS: '10', BODY_LIMIT_BYTES: '1024' };
    app = await startTestApp(testConfig(redis.url, env), [...TASK_MODULES, probeTaskModule()]);
    tasks = new TaskClient(app);
  });

  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('exports every documented family in the Prometheus text format, without an API key', async () => {
    const { text, contentType } = await scrape(app);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = familiesOf(text);
    expect(SERIES.filter((name) => !families.has(name))).toEqual([]);
  });

  it('exports every series the alerts and the dashboard use', async () => {
    const families = familiesOf((await scrape(app)).text);
    const rules = parse(readFileSync('ops/prometheus/alerts.yml', 'utf8'));
    const exprs: string[] = rules.groups.flatMap((g: { rules: { expr: string }[] }) =>
      g.rules.map((r) => r.expr),
    );
    for (const file of readdirSync('ops/grafana').filter((f) => f.endsWith('.json'))) {
      const dashboard = JSON.parse(readFileSync(`ops/grafana/${file}`, 'utf8'));
      for (const panel of dashboard.panels)
        exprs.push(...(panel.targets ?? []).map((t: { expr: string }) => t.expr));
    }
    const used = new Set(
      // Recording rules (`queue:strata_…:rate10m`) are names of ours, not series the app exports.
      exprs.flatMap((e) =>
        [...e.matchAll(/(?<![\w:])(strata_[a-z_]+|http_[a-z_]+)(?![\w:])/g)].map((m) => m[1]),
      ),
    );
    const base = (name: string) => name.replace(/_(bucket|count|sum)$/, '');
    expect(used.size).toBeGreaterThan(8);
    expect([...used].filter((name) => !families.has(base(name)))).toEqual([]);
  });

  it('times every answer by route pattern, including those Fastify gives before any handler', async () => {
    const http = request(app.getHttpServer());
    const key = bearer(TEST_KEYS.alice);
    await http.get('/v1/taxonomy/masks').set(key).expect(200);
    await http.get('/v1/taxonomy/epochs').set(key).expect(200);
    await http.get('/v1/taxonomy/stages/no-such-stage').set(key).expect(404);
    await http.get('/wp-admin/setup.php').expect(404);
    await http.get('/random/no-route-here').expect(404);
    await http
      .post('/v1/admin/cache/flush')
      .set(bearer(TEST_KEYS.admin))
      .set('content-type', 'application/json')
      .send('x'.repeat(4096))
      .expect(413);

    const { samples, text } = await scrape(app);
    const count = (labels: Record<string, string>) =>
      valueOf(samples, 'http_request_duration_seconds_count', { method: 'GET', ...labels });
    expect(count({ route: '/v1/taxonomy/:kind', status_code: '200' })).toBe(2);
    expect(count({ route: '/v1/taxonomy/:kind/:slug', status_code: '404' })).toBe(1);
    expect(count({ route: '(unmatched)', status_code: '404' })).toBe(2);
    expect(
      valueOf(samples, 'http_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/admin/cache/flush',
        status_code: '413',
      }),
    ).toBe(1);
    // Raw paths never become labels (a number in a path could also turn up in a metric's value).
    expect(text).not.toMatch(/wp-admin|no-route-here|no-such-stage|route="\/v1\/taxonomy\/masks"/);
  });

  it('counts cache lookups by tier and result', async () => {
    const lookups = async () => {
      const { samples } = await scrape(app);
      return (tier: string, result: string) =>
        valueOf(samples, 'strata_cache_lookups_total', { tier, result })!;
    };
    const before = await lookups();
    const http = request(app.getHttpServer());
    await http.post('/v1/admin/cache/flush').set(bearer(TEST_KEYS.admin)).send({}).expect(204);
    await http.get('/v1/taxonomy').set(bearer(TEST_KEYS.alice)).expect(200).expect('x-cache', 'MISS');
    await http.get('/v1/taxonomy').set(bearer(TEST_KEYS.alice)).expect(200).expect('x-cache', 'HIT');
    const after = await lookups();
    expect(after('memory', 'miss') - before('memory', 'miss')).toBe(1);
    expect(after('redis', 'miss') - before('redis', 'miss')).toBe(1);
    expect(after('memory', 'hit') - before('memory', 'hit')).toBe(1);
    expect(valueOf((await scrape(app)).samples, 'strata_cache_fallback_active')).toBe(0);
  });

  it('reports the Redis of each role from INFO', async () => {
    const { samples } = await scrape(app);
    for (const role of ['cache', 'queue']) {
      expect(valueOf(samples, 'strata_redis_up', { role })).toBe(1);
      expect(valueOf(samples, 'strata_redis_maxmemory_bytes', { role })).toBe(64 * 1024 * 1024);
      expect(valueOf(samples, 'strata_redis_used_memory_bytes', { role })).toBeGreaterThan(100_000);
      expect(valueOf(samples, 'strata_redis_connected_clients', { role })).toBeGreaterThanOrEqual(2);
      expect(valueOf(samples, 'strata_redis_connection_errors_total', { role })).toBe(0);
    }
  });

  it('reads queue depths from BullMQ at scrape time', async () => {
    await tasks.create('probe', { mode: 'ok' }, 'alice', { delayMs: 60_000 });
    await tasks.create('probe', { mode: 'ok' }, 'alice', { delayMs: 60_000 });
    // Reads are reused for a second, so the new jobs show within about that.
    await eventually(async () => {
      const { samples } = await scrape(app);
      expect(valueOf(samples, 'strata_queue_jobs', { queue: 'probe', state: 'delayed' })).toBe(2);
      expect(valueOf(samples, 'strata_queue_jobs', { queue: 'job-search', state: 'waiting' })).toBe(0);
    }, 3_000);
  });

  it('times jobs by queue and outcome, and counts completed, retried and finally failed jobs', async () => {
    const ok = await tasks.create('probe', { mode: 'ok', sleepMs: 50 });
    const flaky = await tasks.create('probe', { mode: 'flaky', failTimes: 1 });
    const fatal = await tasks.create('probe', { mode: 'fatal' });
    await tasks.waitFor(ok, 'completed');
    await tasks.waitFor(flaky, 'completed');
    await tasks.waitFor(fatal, 'failed');
    const { samples } = await scrape(app);
    const q = { queue: 'probe' };
    expect(valueOf(samples, 'strata_jobs_completed_total', q)).toBe(2);
    expect(valueOf(samples, 'strata_jobs_failed_total', { ...q, final: 'false' })).toBe(1);
    expect(valueOf(samples, 'strata_jobs_failed_total', { ...q, final: 'true' })).toBe(1);
    expect(valueOf(samples, 'strata_job_duration_seconds_count', { ...q, outcome: 'completed' })).toBe(2);
    expect(valueOf(samples, 'strata_job_duration_seconds_count', { ...q, outcome: 'failed' })).toBe(2);
    // The 50 ms job sits above the 0.025 s bucket boundary.
    expect(
      valueOf(samples, 'strata_job_duration_seconds_bucket', { ...q, outcome: 'completed', le: '0.025' }),
    ).toBe(1);
    expect(valueOf(samples, 'strata_jobs_completed_total', { queue: 'job-search' })).toBe(0);
  });
});
