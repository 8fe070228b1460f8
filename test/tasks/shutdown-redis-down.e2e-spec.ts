import type { Redis } from 'ioredis';
import { CACHE_REDIS, QUEUE_REDIS } from '../../src/redis/redis.constants.js';
import { eventually } from '../support/eventually.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-env.js';

// A shutdown must not wait for a Redis that is gone: BullMQ's graceful close sends QUIT, which a
// reconnecting client queues forever.
describe.each(['worker', 'all', 'api'])('shutdown of the %s role with the queue Redis down', (role) => {
  it('finishes well within SHUTDOWN_GRACE_MS', async () => {
    const redis = await TestRedis.start();
    try {
      const app = await startTestApp(testConfig(redis.url, { APP_ROLE: role, SHUTDOWN_GRACE_MS: '5000' }));
      await redis.kill();
      // The case under test: clients that know Redis is gone and are reconnecting.
      for (const token of [QUEUE_REDIS, CACHE_REDIS]) {
        const client = app.get<Redis>(token);
        await eventually(() => expect(client.status).not.toBe('ready'), 5_000);
      }
      const started = Date.now();
      await app.close();
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await redis.stop();
    }
  });
});
