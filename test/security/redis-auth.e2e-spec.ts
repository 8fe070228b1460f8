import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-env.js';
import { TaskClient } from '../tasks/task-test-kit.js';
import { appUserAcl, observerUrl } from './redis-acl.js';
import { baseUrl, call } from './security-kit.js';

const PASSWORD = 'app-redis-password-5678';

describe('Redis with an ACL user and password (the least-privilege ACL of docs/security.md)', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let observer: Redis;

  beforeAll(async () => {
    redis = await TestRedis.start({ extraArgs: appUserAcl('strata', PASSWORD) });
    observer = new Redis(observerUrl(redis.port));
    const url = `redis://strata:${PASSWORD}@127.0.0.1:${redis.port}`;
    app = await startTestApp(
      testConfig(url, { QUEUE_REDIS_URL: url, RATE_LIMITS: 'default=100/60s,tasks:job-search=5/60s' }),
    );
  });
  afterAll(async () => {
    observer?.disconnect();
    await app?.close();
    await redis?.stop();
  });

  it('the cache, the queues, the workers and the rate limits all work as that user', async () => {
    const base = await baseUrl(app);
    const health = await call(base, 'GET', '/health', 'none');
    expect(health.status).toBe(200);
    await call(base, 'GET', '/v1/taxonomy/masks', 'alice');
    const hit = await call(base, 'GET', '/v1/taxonomy/masks', 'alice');
    expect(hit.headers.get('x-cache')).toBe('HIT');
    const tasks = new TaskClient(app);
    const id = await tasks.create('job-search', { query: 'nurse', limit: 2 });
    expect((await tasks.waitFor(id, 'completed')).state).toBe('completed');
    // Counted in Redis, not in the memory fallback.
    expect(await observer.exists('strata:ratelimit:tasks:job-search:alice')).toBe(1);
    const clients = await observer.client('LIST');
    expect(String(clients)).toMatch(/user=strata/);
    // Every key the app wrote is under strata: (the ACL would have refused anything else).
    expect((await observer.keys('*')).filter((k) => !k.startsWith('strata:'))).toEqual([]);
  });

  it('the same user cannot run what the ACL withholds', async () => {
    const client = new Redis(`redis://strata:${PASSWORD}@127.0.0.1:${redis.port}`, {
      maxRetriesPerRequest: 0,
    });
    try {
      await expect(client.flushall()).rejects.toThrow(/NOPERM/);
      await expect(client.set('other-app:key', '1')).rejects.toThrow(/NOPERM/);
    } finally {
      client.disconnect();
    }
  });

  it('a wrong password leaves Redis down (and the API up, in its fallbacks), not a crash', async () => {
    const bad = await startTestApp(
      testConfig(`redis://strata:wrong-password-000@127.0.0.1:${redis.port}`, { APP_ROLE: 'api' }),
    );
    try {
      const base = await baseUrl(bad);
      const health = await call(base, 'GET', '/health', 'none');
      expect(health.status).toBe(503);
      expect((await call(base, 'GET', '/v1/taxonomy/masks', 'alice')).status).toBe(200);
    } finally {
      await bad.close();
    }
  });
});
