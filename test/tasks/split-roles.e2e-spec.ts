import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ResilientCache } from '../../src/cache/resilient-cache.service.js';
import { TestRedis } from '../support/redis-server.js';
import { ServiceProcess } from '../support/service-process.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, TEST_API_KEYS, TEST_KEYS, tempDir, testConfig } from '../support/test-env.js';
import { TaskClient } from './task-test-kit.js';

// As docker-compose.yml runs them: the api role in one process, the worker role in another, each with
// its own DATA_DIR, sharing only Redis and the artifacts directory (one volume mounted in both).
describe('api and worker in separate processes', () => {
  let redis: TestRedis;
  let api: NestFastifyApplication;
  let worker: ServiceProcess;
  const artifacts = tempDir('strata-shared-artifacts-');

  beforeAll(async () => {
    redis = await TestRedis.start();
    api = await startTestApp(testConfig(redis.url, { APP_ROLE: 'api', ARTIFACTS_DIR: artifacts }));
    worker = ServiceProcess.spawn({
      APP_ROLE: 'worker',
      REDIS_URL: redis.url,
      API_KEYS: TEST_API_KEYS,
      DATA_DIR: tempDir(),
      ARTIFACTS_DIR: artifacts,
      LOG_LEVEL: 'warn',
    });
  });
  afterAll(async () => {
    await worker?.killed('SIGTERM');
    await api?.close();
    await redis?.stop();
  });

  it('the API streams the PDF a worker process rendered', async () => {
    const client = new TaskClient(api);
    const id = await client.create('pdf', {
      title: 'Rendered elsewhere',
      sections: [{ heading: 'One', body: 'Written by the worker process.' }],
    });
    const done = await client.waitFor(id, 'completed', 'alice', 30_000);
    const res = await client.http
      .get(`/v1/tasks/${id}/artifact`)
      .set(bearer(TEST_KEYS.alice))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const body = res.body as Buffer;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(body.length).toBe(done.result.artifact.bytes);
  });

  it("the API's flush reaches the job-search cache, which only workers fill", async () => {
    // What a worker's job-search provider would keep (HttpJobSearch), written here in its namespace.
    const cache = api.get(ResilientCache);
    await cache.set(await cache.keyFor('job-search', 'GET /search?q=probe'), '{"results":[]}');
    const redisClient = redis.client();
    try {
      const cached = () => redisClient.keys('strata:cache:job-search:*');
      expect(await cached()).toHaveLength(1);
      const queueKeys = await redisClient.keys('strata:job-search:*');
      expect(queueKeys.length).toBeGreaterThan(0);
      const res = await new TaskClient(api).http
        .post('/v1/admin/cache/flush')
        .set(bearer(TEST_KEYS.admin))
        .send({ namespace: 'job-search' });
      expect(res.status).toBe(204);
      expect(await cached()).toEqual([]);
      // The job-search queue's own keys share the name, not the namespace: they stay.
      expect((await redisClient.keys('strata:job-search:*')).sort()).toEqual(queueKeys.sort());
    } finally {
      redisClient.disconnect();
    }
  });
});
