import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { TaskClient } from '../tasks/task-test-kit.js';
import { eventually } from '../support/eventually.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, testConfig, TEST_KEYS } from '../support/test-env.js';
import { parseMetrics, valueOf } from './prometheus-text.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

describe('/metrics per role, behind a token, and with Redis down', () => {
  let redis: TestRedis;
  let api: NestFastifyApplication;
  let worker: NestFastifyApplication;

  const scrape = async (app: NestFastifyApplication, token?: string) => {
    const req = request(app.getHttpServer()).get('/metrics');
    const res = await (token ? req.set(bearer(token)) : req);
    return { status: res.status, samples: parseMetrics(res.text), res };
  };

  beforeAll(async () => {
    redis = await TestRedis.start();
    const fast = { CACHE_BREAKER_PROBE_MS: '100' };
    api = await startTestApp(testConfig(redis.url, { ...fast, APP_ROLE: 'api', METRICS_TOKEN }));
    // What main.ts runs for APP_ROLE=worker with HEALTH_PORT set: the worker's modules behind an HTTP port.
    worker = await startTestApp(testConfig(redis.url, { ...fast, APP_ROLE: 'worker' }));
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await redis?.stop();
  });

  it('asks for the metrics token when METRICS_TOKEN is set, and takes no API key instead', async () => {
    const none = await scrape(api);
    expect(none.status).toBe(401);
    expect(none.res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(none.res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    expect((await scrape(api, `${METRICS_TOKEN}x`)).status).toBe(401);
    expect((await scrape(api, TEST_KEYS.admin)).status).toBe(401);
    expect((await scrape(api, METRICS_TOKEN)).status).toBe(200);
  });

  it('counts jobs where they run: the worker, not the API that enqueued them', async () => {
    const id = await new TaskClient(api).create('job-search', { query: 'driver', limit: 2 });
    await new TaskClient(api).waitFor(id, 'completed');
    const fromWorker = await scrape(worker);
    expect(fromWorker.status).toBe(200);
    expect(valueOf(fromWorker.samples, 'strata_jobs_completed_total', { queue: 'job-search' })).toBe(1);
    const fromApi = await scrape(api, METRICS_TOKEN);
    expect(valueOf(fromApi.samples, 'strata_jobs_completed_total', { queue: 'job-search' })).toBeUndefined();
    // Both see the queues and Redis; the worker's port serves no API.
    expect(
      valueOf(fromWorker.samples, 'strata_queue_jobs', { queue: 'job-search', state: 'completed' }),
    ).toBe(1);
    expect(
      (await request(worker.getHttpServer()).get('/v1/taxonomy').set(bearer(TEST_KEYS.admin))).status,
    ).toBe(404);
  });

  it('answers within a second with Redis dead: up 0, queue depths left out, errors counted', async () => {
    await redis.kill();
    try {
      // Past the 1 s reuse of the last good reads, so this scrape has to ask the dead Redis.
      await new Promise((r) => setTimeout(r, 1_100));
      await request(api.getHttpServer()).get('/v1/taxonomy').set(bearer(TEST_KEYS.alice));
      const started = Date.now();
      const { status, samples } = await scrape(api, METRICS_TOKEN);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(status).toBe(200);
      expect(valueOf(samples, 'strata_redis_up', { role: 'cache' })).toBe(0);
      expect(valueOf(samples, 'strata_redis_up', { role: 'queue' })).toBe(0);
      expect(valueOf(samples, 'strata_redis_used_memory_bytes', { role: 'queue' })).toBeUndefined();
      expect(samples.filter((s) => s.name === 'strata_queue_jobs')).toEqual([]);
      await eventually(async () => {
        const now = (await scrape(api, METRICS_TOKEN)).samples;
        expect(valueOf(now, 'strata_redis_connection_errors_total', { role: 'cache' })).toBeGreaterThan(0);
        expect(valueOf(now, 'strata_cache_fallback_active')).toBe(1);
      }, 5_000);
    } finally {
      await redis.restart();
    }
    await eventually(async () => {
      const now = (await scrape(api, METRICS_TOKEN)).samples;
      expect(valueOf(now, 'strata_redis_up', { role: 'queue' })).toBe(1);
      expect(valueOf(now, 'strata_cache_fallback_active')).toBe(0);
      // Back, and read again (the restarted Redis kept no data).
      expect(valueOf(now, 'strata_queue_jobs', { queue: 'job-search', state: 'completed' })).toBe(0);
    }, 10_000);
  });
});
