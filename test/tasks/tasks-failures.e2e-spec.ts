import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { freePort } from '../../src/redis/local-redis.js';
import { eventually } from '../support/eventually.js';
import { TestRedis } from '../support/redis-server.js';
import { ServiceProcess } from '../support/service-process.js';
import { startTestApp } from '../support/test-app.js';
import { TEST_API_KEYS, tempDir, testConfig } from '../support/test-env.js';
import { TaskClient } from './task-test-kit.js';

describe('tasks when Redis or a worker dies', () => {
  let redis: TestRedis;
  const apps: NestFastifyApplication[] = [];
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    redis = await TestRedis.start({ persistent: true });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.killed()));
    for (const app of apps) await app.close();
    await redis?.stop();
  });

  it('answers 503 with Retry-After within 1 s while the queue Redis is down; jobs flow again after it returns', async () => {
    const app = await startTestApp(testConfig(redis.url));
    apps.push(app);
    const client = new TaskClient(app);
    await client.waitFor(await client.create('job-search', { query: 'engineer' }), 'completed');

    await redis.kill();
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const res = await client.post('job-search', { input: { query: 'engineer' } });
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: expect.any(String),
      });
    }

    await redis.restart();
    const id = await eventually(() => client.create('job-search', { query: 'engineer' }), 10_000, 200);
    await client.waitFor(id, 'completed', 'alice', 15_000);
  });

  it('a worker process SIGKILLed mid-job: the job completes on a second worker', async () => {
    const port = await freePort();
    // ~1 MB of sections, past the default 256 KiB task input cap: a PDF long enough to be killed mid-job.
    const api = await startTestApp(
      testConfig(redis.url, {
        APP_ROLE: 'api',
        PORT: String(port),
        TASK_INPUT_MAX_BYTES: String(2 * 1024 * 1024),
      }),
    );
    apps.push(api);
    const client = new TaskClient(api);
    const env = {
      APP_ROLE: 'worker',
      REDIS_URL: redis.url,
      API_KEYS: TEST_API_KEYS,
      LOG_LEVEL: 'warn',
      PDF_CONCURRENCY: '1',
      // A dead worker's lock lapses after 1 s, and the survivor looks for such jobs every 300 ms.
      QUEUE_LOCK_DURATION_MS: '1000',
      QUEUE_STALLED_INTERVAL_MS: '300',
    };
    const first = ServiceProcess.spawn({ ...env, DATA_DIR: tempDir() });
    workers.push(first);

    const sections = Array.from({ length: 50 }, (_, i) => ({
      heading: `Section ${i + 1}`,
      body: 'word '.repeat(4_000),
    }));
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await client.create('pdf', { title: `Big ${i}`, sections }));
    const victim = await eventually(
      async () => {
        for (const id of ids) if ((await client.get(id)).body.state === 'active') return id;
        throw new Error('no job active yet');
      },
      20_000,
      10,
    );
    await first.killed();
    expect((await client.get(victim)).body.state).toBe('active');

    const second = ServiceProcess.spawn({ ...env, DATA_DIR: tempDir() });
    workers.push(second);
    for (const id of ids) {
      const done = await client.waitFor(id, 'completed', 'alice', 30_000);
      expect(done.result.artifact.pages).toBeGreaterThan(50);
    }
  }, 60_000);
});
