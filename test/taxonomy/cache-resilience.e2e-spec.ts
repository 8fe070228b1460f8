import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ResilientCache } from '../../src/cache/resilient-cache.service.js';
import { TaxonomyRepository } from '../../src/taxonomy/taxonomy.repository.js';
import { eventually } from '../support/eventually.js';
import { loadTest } from '../support/load.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, TEST_KEYS, testConfig } from '../support/test-env.js';

const asAlice = bearer(TEST_KEYS.alice);
const asAdmin = { ...bearer(TEST_KEYS.admin), 'content-type': 'application/json' };

async function url(app: NestFastifyApplication, path: string) {
  return `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}${path}`;
}

async function get(app: NestFastifyApplication, path: string) {
  const res = await fetch(await url(app, path), { headers: asAlice });
  return { status: res.status, cache: res.headers.get('x-cache'), body: await res.json() };
}

async function putMask(app: NestFastifyApplication, slug: string, name: string) {
  const res = await fetch(await url(app, `/v1/taxonomy/masks/${slug}`), {
    method: 'PUT',
    headers: asAdmin,
    body: JSON.stringify({ name }),
  });
  expect([200, 201]).toContain(res.status);
}

const nameOf = (body: { items: { slug: string; name: string }[] }, slug: string) =>
  body.items.find((i) => i.slug === slug)?.name;

describe('the taxonomy cache under Redis failure', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    // Persistent, so a restarted Redis comes back with the keys it had: the stale-data trap.
    redis = await TestRedis.start({ persistent: true });
    app = await startTestApp(testConfig(redis.url, { CACHE_REDIS_TIMEOUT_MS: '50' }));
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  afterEach(async () => {
    if (!redis.running) await redis.restart();
    await eventually(() => expect(app.get(ResilientCache).degraded).toBe(false), 5_000);
  });

  it('200 concurrent misses cause one database read', async () => {
    const repository = app.get(TaxonomyRepository);
    await fetch(await url(app, '/v1/admin/cache/flush'), { method: 'POST', headers: asAdmin, body: '{}' });
    const before = repository.reads;
    const target = await url(app, '/v1/taxonomy/stages');
    const results = await Promise.all(Array.from({ length: 200 }, () => fetch(target, { headers: asAlice })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(repository.reads - before).toBe(1);
  });

  it('lookups of one key while its Redis read is out share that read, and nothing is kept past it', async () => {
    const cache = app.get(ResilientCache);
    const key = await cache.keyFor('taxonomy', 'shared-read-probe');
    await cache.set(key, 'the cached answer');
    const gets = () =>
      redis.withClient(async (c) =>
        Number(/cmdstat_get:calls=(\d+)/.exec(await c.info('commandstats'))?.[1] ?? 0),
      );
    const before = await gets();
    const lookups = await Promise.all(Array.from({ length: 100 }, () => cache.getFromRedis(key)));
    expect(lookups.every((l) => l?.value === 'the cached answer' && l.tier === 'redis')).toBe(true);
    // One GET for the hundred (at most one more from anything else the app reads meanwhile).
    expect((await gets()) - before).toBeLessThanOrEqual(2);
    const afterShared = await gets();
    await cache.getFromRedis(key);
    expect((await gets()) - afterShared).toBeGreaterThanOrEqual(1);
  });

  it('SIGKILL of Redis during 2,000 reads at concurrency 20: no errors, no read over 100 ms', async () => {
    // Warm up first: opening 20 fresh client connections at once is not what this test measures.
    await loadTest(await url(app, '/v1/taxonomy/masks'), asAlice, 400, 20);
    let killed = false;
    const { statuses, latenciesMs } = await loadTest(
      await url(app, '/v1/taxonomy/masks'),
      asAlice,
      2_000,
      20,
      async (done) => {
        if (done === 500 && !killed) {
          killed = true;
          await redis.kill();
        }
      },
    );
    expect(killed).toBe(true);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const worst = Math.max(...latenciesMs);
    expect(worst).toBeLessThan(100);
    expect(app.get(ResilientCache).degraded).toBe(true);
  });

  it('starts degraded reads at once, and goes back to Redis by itself, repopulating its keys', async () => {
    await redis.kill();
    await eventually(() => expect(app.get(ResilientCache).degraded).toBe(true), 2_000);
    const during = await get(app, '/v1/taxonomy/epochs');
    expect(during.status).toBe(200);
    const health = await fetch(await url(app, '/health'));
    expect((await health.json()).details['redis-cache']).toMatchObject({
      status: 'down',
      cache: 'memory-fallback',
    });

    await redis.restart();
    await redis.withClient((c) => c.flushall());
    await eventually(() => expect(app.get(ResilientCache).degraded).toBe(false), 5_000);
    const after = await fetch(await url(app, '/health'));
    expect((await after.json()).details['redis-cache']).toMatchObject({ status: 'up', cache: 'redis' });
    await get(app, '/v1/taxonomy/epochs');
    const keys = await redis.withClient((c) => c.keys('strata:cache:taxonomy:*'));
    expect(keys.length).toBeGreaterThan(0);
    expect((await get(app, '/v1/taxonomy/epochs')).cache).toBe('HIT');
  });

  it('a write during the outage is never hidden by the old keys Redis comes back with', async () => {
    await putMask(app, 'the-builder', 'Builder v1');
    await get(app, '/v1/taxonomy/masks'); // cached in Redis (persisted) and memory
    expect(nameOf((await get(app, '/v1/taxonomy/masks')).body, 'the-builder')).toBe('Builder v1');
    const keysBefore = await redis.withClient((c) => c.keys('strata:cache:taxonomy:*'));
    expect(keysBefore.length).toBeGreaterThan(0);

    await redis.kill();
    await putMask(app, 'the-builder', 'Builder v2');
    expect(nameOf((await get(app, '/v1/taxonomy/masks')).body, 'the-builder')).toBe('Builder v2');

    await redis.restart();
    // The old entry is back in Redis...
    const keysAfter = await redis.withClient((c) => c.keys('strata:cache:taxonomy:*'));
    expect(keysAfter).toEqual(expect.arrayContaining(keysBefore));
    // ...but is never served, during recovery or after it.
    const deadline = Date.now() + 5_500;
    while (Date.now() < deadline) {
      const res = await get(app, '/v1/taxonomy/masks');
      expect(res.status).toBe(200);
      expect(nameOf(res.body, 'the-builder')).toBe('Builder v2');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(app.get(ResilientCache).degraded).toBe(false);
  });
});
