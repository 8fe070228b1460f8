import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { eventually } from '../support/eventually.js';
import { createTestSchema, type TestSchema } from '../support/postgres-schema.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, TEST_KEYS, TEST_POSTGRES_URL as POSTGRES, testConfig } from '../support/test-env.js';

// Two instances must share one database, which embedded PGlite (one process, one owner) cannot be;
// so this needs the real PostgreSQL that `.ci/run` provides through TEST_DATABASE_URL.
(POSTGRES ? describe : describe.skip)('two instances sharing Redis and PostgreSQL', () => {
  let redis: TestRedis;
  let one: NestFastifyApplication;
  let two: NestFastifyApplication;

  let schema: TestSchema;

  const base = async (app: NestFastifyApplication) => (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const maskName = async (app: NestFastifyApplication, slug: string) => {
    const res = await fetch(`${await base(app)}/v1/taxonomy/masks/${slug}`, {
      headers: bearer(TEST_KEYS.alice),
    });
    return (await res.json()).name as string;
  };

  beforeAll(async () => {
    schema = await createTestSchema(POSTGRES!, 'strata_e2e');
    redis = await TestRedis.start();
    one = await startTestApp(testConfig(redis.url, { DATABASE_URL: schema.url }));
    two = await startTestApp(testConfig(redis.url, { DATABASE_URL: schema.url }));
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await redis?.stop();
    await schema?.drop();
  });

  it('a write on one instance is seen by the other within 1 s', async () => {
    // Both have the item cached in memory.
    expect(await maskName(one, 'the-mentor')).toBe(await maskName(two, 'the-mentor'));
    await maskName(two, 'the-mentor');
    const res = await fetch(`${await base(one)}/v1/taxonomy/masks/the-mentor`, {
      method: 'PUT',
      headers: { ...bearer(TEST_KEYS.admin), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'The Mentor, rewritten' }),
    });
    expect(res.status).toBe(200);
    const wroteAt = Date.now();
    await eventually(
      async () => expect(await maskName(two, 'the-mentor')).toBe('The Mentor, rewritten'),
      1_000,
      10,
    );
    expect(Date.now() - wroteAt).toBeLessThan(1_000);
    expect(await maskName(one, 'the-mentor')).toBe('The Mentor, rewritten');
  });
});
