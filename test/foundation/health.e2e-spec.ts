import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AppLifecycle } from '../../src/health/app-lifecycle.service.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-env.js';
import { eventually } from '../support/eventually.js';

const DEPENDENCIES = ['redis-cache', 'redis-queue', 'database'];

describe('health', () => {
  let redis: TestRedis;
  let api: NestFastifyApplication;
  let worker: NestFastifyApplication;

  beforeAll(async () => {
    redis = await TestRedis.start();
    api = await startTestApp(testConfig(redis.url, { APP_ROLE: 'api' }));
    // A worker exposing only its health port.
    worker = await startTestApp(testConfig(redis.url, { APP_ROLE: 'worker', HEALTH_PORT: '1' }));
  });
  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await redis?.stop();
  });

  const get = (app: NestFastifyApplication, path: string) => request(app.getHttpServer()).get(path);

  it('reports every dependency up, in the Terminus shape', async () => {
    const full = await get(api, '/health').expect(200);
    expect(full.body.status).toBe('ok');
    for (const dep of DEPENDENCIES) expect(full.body.details[dep]).toMatchObject({ status: 'up' });
    const ready = await get(api, '/health/ready').expect(200);
    expect(Object.keys(ready.body.details).sort()).toEqual([...DEPENDENCIES].sort());
    await get(api, '/health/live').expect(200, { status: 'ok', info: {}, error: {}, details: {} });
  });

  it('sees Redis go down within 2 s and come back without a restart', async () => {
    await redis.kill();
    const killedAt = Date.now();
    await eventually(async () => {
      const res = await get(api, '/health').expect(503);
      expect(res.body.details['redis-queue'].status).toBe('down');
      expect(res.body.details['redis-cache'].status).toBe('down');
      expect(res.body.details.database.status).toBe('up');
    }, 2_000);
    const ready = await get(api, '/health/ready');
    expect(Date.now() - killedAt).toBeLessThan(2_500);
    // A shared outage must not take every API instance out of rotation.
    expect(ready.status).toBe(200);
    expect(ready.body.details['redis-queue'].status).toBe('down');
    // A worker cannot work without its queue Redis.
    await get(worker, '/health/ready').expect(503);
    // The process itself is fine.
    await get(api, '/health/live').expect(200);

    await redis.restart();
    await eventually(async () => {
      const res = await get(api, '/health').expect(200);
      expect(res.body.details['redis-queue'].status).toBe('up');
    }, 5_000);
    await eventually(() => get(worker, '/health/ready').expect(200), 5_000);
  });

  it('answers every probe within the 1 s bound while Redis is down', async () => {
    await redis.kill();
    try {
      const started = Date.now();
      await Promise.all([get(api, '/health'), get(api, '/health/ready'), get(worker, '/health')]);
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      await redis.restart();
    }
  });

  it('readiness is 503 from the moment shutdown begins, while liveness stays 200', async () => {
    const app = await startTestApp(testConfig(redis.url, { APP_ROLE: 'api' }));
    try {
      await get(app, '/health/ready').expect(200);
      app.get(AppLifecycle).beginShutdown();
      const res = await get(app, '/health/ready').expect(503);
      expect(res.body).toMatchObject({ status: 'error', lifecycle: 'stopping' });
      await get(app, '/health/live').expect(200);
    } finally {
      await app.close();
    }
  });
});
