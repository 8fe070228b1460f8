import { resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { CachedRouteFastPath } from '../../src/edge/cached-route.fast-path.js';
import { RequestPolicies } from '../../src/edge/request-policies.service.js';
import { TenantHeaderPolicy } from '../extensions/tenant-policy.extension.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, TEST_KEYS, testConfig } from '../support/test-env.js';

const POLICY = resolve('test/extensions/tenant-policy.extension.ts');
const GUARD = resolve('test/extensions/tenant-guard.extension.mjs');
const asBob = bearer(TEST_KEYS.bob);
const tenant = { 'x-tenant': 'acme' };
const PATH = '/v1/taxonomy/masks';

const fastPathOf = (app: NestFastifyApplication) => app.get(CachedRouteFastPath);

// The tenant guard, an ordinary Nest guard, knows nothing of @Public(): it wants the header everywhere.

/** The value of one unlabelled series in /metrics. */
async function gauge(app: NestFastifyApplication, name: string): Promise<number> {
  const text = (await request(app.getHttpServer()).get('/metrics').set(tenant).expect(200)).text;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ').pop());
}

async function fastPathHealth(app: NestFastifyApplication): Promise<Record<string, unknown>> {
  const res = await request(app.getHttpServer()).get('/health').set(tenant);
  return res.body.details['cache-fast-path'];
}

describe('request policies: one list, both roads (STRATA_EXTENSIONS)', () => {
  let redis: TestRedis;
  let withPolicy: NestFastifyApplication;
  let withGuard: NestFastifyApplication;

  beforeAll(async () => {
    redis = await TestRedis.start();
    const env = { APP_ROLE: 'api', RATE_LIMITS: 'default=1000/60s' };
    withPolicy = await startTestApp(testConfig(redis.url, { ...env, STRATA_EXTENSIONS: POLICY }));
    withGuard = await startTestApp(testConfig(redis.url, { ...env, STRATA_EXTENSIONS: GUARD }));
  });
  afterAll(async () => {
    for (const app of [withGuard, withPolicy]) await app?.close();
    await redis?.stop();
  });

  it('a policy added through STRATA_EXTENSIONS is in the list, and the fast path stays on', async () => {
    expect(withPolicy.get(RequestPolicies).names).toEqual(['TenantHeaderPolicy']);
    expect(fastPathOf(withPolicy).offReason).toBeUndefined();
    expect(fastPathOf(withPolicy).routes).toContain('/v1/taxonomy/:kind');
    expect(await gauge(withPolicy, 'strata_cache_fast_path_enabled')).toBe(1);
    expect(await fastPathHealth(withPolicy)).toEqual({ status: 'up', state: 'on' });
  });

  it('a hit with the header is answered by the fast path, which ran the policy', async () => {
    const http = request(withPolicy.getHttpServer());
    const policy = withPolicy.get(TenantHeaderPolicy);
    await http.get(PATH).set(asBob).set(tenant).expect(200);
    const before = fastPathOf(withPolicy).answered;
    const seen = policy.seen.length;
    const hit = await http.get(PATH).set(asBob).set(tenant).expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(fastPathOf(withPolicy).answered).toBe(before + 1);
    expect(policy.seen.slice(seen)).toEqual(['/v1/taxonomy/:kind']);
  });

  it('a hit without the header is refused with the usual JSON error, checked once, not charged', async () => {
    const http = request(withPolicy.getHttpServer());
    const policy = withPolicy.get(TenantHeaderPolicy);
    const first = await http.get(PATH).set(asBob).set(tenant).expect(200);
    const before = fastPathOf(withPolicy).answered;
    const seen = policy.seen.length;
    const refused = await http.get(PATH).set(asBob).expect(400);
    expect(refused.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'the X-Tenant header is required',
      details: [{ field: 'x-tenant', message: 'lowercase letters, digits and "-", at most 64' }],
    });
    expect(refused.headers['x-request-id']).toMatch(/\S/);
    expect(refused.headers['ratelimit-remaining']).toBeUndefined();
    // The fast path checked it and handed the refusal to Nest, which did not check it again.
    expect(policy.seen.length - seen).toBe(1);
    expect(fastPathOf(withPolicy).answered).toBe(before);
    const after = await http.get(PATH).set(asBob).set(tenant).expect(200);
    expect(Number(after.headers['ratelimit-remaining'])).toBe(Number(first.headers['ratelimit-remaining']) - 1);
  });

  it('runs on the Nest road too: a route that is not cached, an admin route; never on a public one', async () => {
    const http = request(withPolicy.getHttpServer());
    await http.get('/v1/tasks').set(asBob).expect(400);
    await http.get('/v1/tasks').set(asBob).set(tenant).expect(200);
    await http.post('/v1/admin/cache/flush').set(bearer(TEST_KEYS.admin)).send({}).expect(400);
    await http.get('/health/live').expect(200);
    // Authentication comes first: no key is a 401, whatever the header.
    await http.get(PATH).expect(401);
  });

  it('a global guard added the ordinary Nest way still sees every hit: the fast path steps aside', async () => {
    const http = request(withGuard.getHttpServer());
    expect(fastPathOf(withGuard).routes).toEqual([]);
    expect(fastPathOf(withGuard).offReason).toBe(
      'the global guard TenantGuard would not see the requests it answers',
    );
    expect(await gauge(withGuard, 'strata_cache_fast_path_enabled')).toBe(0);
    expect(await fastPathHealth(withGuard)).toEqual({
      status: 'up',
      state: 'off',
      reason: 'the global guard TenantGuard would not see the requests it answers',
    });
    await http.get(PATH).set(asBob).set(tenant).expect(200);
    const hit = await http.get(PATH).set(asBob).set(tenant).expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    const refused = await http.get(PATH).set(asBob).expect(400);
    expect(refused.body.message).toBe('the X-Tenant header is required');
    expect(fastPathOf(withGuard).answered).toBe(0);
  });
});
