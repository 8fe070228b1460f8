import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  type MiddlewareConsumer,
  Module,
  type NestModule,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { CachedRouteFastPath } from '../../src/edge/cached-route.fast-path.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, TEST_KEYS, testConfig } from '../support/test-env.js';

/** An extension's global guard, as an enterprise team might add: refuses requests marked `x-deny`. */
@Injectable()
class DenyMarkedGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.switchToHttp().getRequest().headers['x-deny'])
      throw new ForbiddenException('denied by extension');
    return true;
  }
}
@Module({ providers: [{ provide: APP_GUARD, useClass: DenyMarkedGuard }] })
class DenyMarkedModule {}

/** An extension's Nest middleware: stamps every answer. */
@Module({})
class StampingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((_req: unknown, res: { setHeader(n: string, v: string): void }, next: () => void) => {
        res.setHeader('x-stamped', 'yes');
        next();
      })
      .forRoutes('*');
  }
}

const ORIGIN = 'https://app.example.com';
const asAlice = bearer(TEST_KEYS.alice);
/** Headers whose values differ between any two answers. */
const VARYING = new Set(['date', 'x-request-id', 'ratelimit-reset', 'ratelimit-remaining', 'keep-alive']);

/** Headers, body and 304 of a hit, as `app` gives them (the first read fills the cache). */
async function hitOf(app: NestFastifyApplication, path: string, extra: Record<string, string> = {}) {
  const http = request(app.getHttpServer());
  const who = { ...bearer(TEST_KEYS.bob), ...extra };
  await http.get(path).set(who).expect(200);
  const hit = await http.get(path).set(who).expect(200);
  const notModified = await http.get(path).set(who).set('if-none-match', hit.headers.etag).expect(304);
  const stable = (headers: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(headers)
        .filter(([name]) => !VARYING.has(name))
        .sort(),
    );
  expect(hit.headers['x-request-id']).toMatch(/\S/);
  expect(hit.headers['x-cache']).toBe('HIT');
  return {
    headers: stable(hit.headers),
    body: hit.body,
    notModified: stable(notModified.headers),
    empty: notModified.text,
  };
}

const answeredBy = (app: NestFastifyApplication) => app.get(CachedRouteFastPath).answered;

describe('cached reads: the fast path', () => {
  let redis: TestRedis;
  let fast: NestFastifyApplication;
  let guarded: NestFastifyApplication;
  let plain: NestFastifyApplication;
  let plainNestOnly: NestFastifyApplication;
  let stamped: NestFastifyApplication;
  let redisTierOnly: NestFastifyApplication;

  beforeAll(async () => {
    redis = await TestRedis.start();
    const env = { APP_ROLE: 'api', CORS_ORIGINS: ORIGIN, RATE_LIMITS: 'default=6/60s,bob:default=1000/60s' };
    // Behind a trusted proxy, so that X-Forwarded-Proto decides whether an answer carries HSTS.
    const plainEnv = { APP_ROLE: 'api', RATE_LIMITS: 'default=1000/60s', TRUST_PROXY: 'true' };
    fast = await startTestApp(testConfig(redis.url, env));
    guarded = await startTestApp(testConfig(redis.url, env), [DenyMarkedModule]);
    plain = await startTestApp(testConfig(redis.url, plainEnv));
    plainNestOnly = await startTestApp(testConfig(redis.url, plainEnv), [DenyMarkedModule]);
    stamped = await startTestApp(testConfig(redis.url, plainEnv), [StampingModule]);
    redisTierOnly = await startTestApp(testConfig(redis.url, { ...plainEnv, CACHE_MEMORY_TIER: 'false' }));
  });
  afterAll(async () => {
    for (const app of [redisTierOnly, stamped, plainNestOnly, plain, guarded, fast]) await app?.close();
    await redis?.stop();
  });

  it('serves the cached routes, and stays off when an extension adds a global guard or middleware', () => {
    expect(fast.get(CachedRouteFastPath).routes).toEqual(
      expect.arrayContaining(['/v1/taxonomy', '/v1/taxonomy/:kind', '/v1/taxonomy/:kind/:slug']),
    );
    expect(guarded.get(CachedRouteFastPath).routes).toEqual([]);
    expect(stamped.get(CachedRouteFastPath).routes).toEqual([]);
  });

  it("an extension's middleware still runs on every cached read", async () => {
    const http = request(stamped.getHttpServer());
    await http.get('/v1/taxonomy/masks').set(bearer(TEST_KEYS.bob)).expect(200);
    const hit = await http.get('/v1/taxonomy/masks').set(bearer(TEST_KEYS.bob)).expect(200);
    expect([hit.headers['x-cache'], hit.headers['x-stamped']]).toEqual(['HIT', 'yes']);
  });

  it('answers hits itself, exactly as the Nest route would: headers, body, 304', async () => {
    for (const path of ['/v1/taxonomy/epochs', '/v1/taxonomy/masks/the-builder', '/v1/taxonomy']) {
      const before = answeredBy(plain);
      const fastAnswer = await hitOf(plain, path);
      // The hit and the 304; the first read was a miss, which Nest answers.
      expect(answeredBy(plain) - before).toBe(2);
      expect(fastAnswer).toEqual(await hitOf(plainNestOnly, path));
      expect(fastAnswer.empty).toBe('');
    }
  });

  it("echoes a caller's harmless request id on a hit, and replaces an unsafe one, as Fastify does", async () => {
    const http = request(plain.getHttpServer());
    // A path no other test reads: the apps share one Redis, and another test counts its first read as a miss.
    const path = '/v1/taxonomy/masks/the-cartographer';
    await http.get(path).set(bearer(TEST_KEYS.bob)).expect(200);
    const before = answeredBy(plain);
    const kept = await http.get(path).set(bearer(TEST_KEYS.bob)).set('x-request-id', 'trace-7.a:b');
    const replaced = await http.get(path).set(bearer(TEST_KEYS.bob)).set('x-request-id', 'bad id!');
    expect(answeredBy(plain) - before).toBe(2);
    expect(kept.headers['x-request-id']).toBe('trace-7.a:b');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends HSTS only to requests a trusted proxy says came over HTTPS, as the Nest route does', async () => {
    const path = '/v1/taxonomy/epochs';
    for (const proto of ['https', 'http, https']) {
      const overHttps = await hitOf(plain, path, { 'x-forwarded-proto': proto });
      expect(overHttps.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect(overHttps.notModified['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect(overHttps).toEqual(await hitOf(plainNestOnly, path, { 'x-forwarded-proto': proto }));
    }
    for (const proto of [undefined, 'http', 'https, http']) {
      const extra: Record<string, string> = proto ? { 'x-forwarded-proto': proto } : {};
      const overHttp = await hitOf(plain, path, extra);
      expect(overHttp.headers['strict-transport-security']).toBeUndefined();
      expect(overHttp).toEqual(await hitOf(plainNestOnly, path, extra));
    }
  });

  it('answers hits from the Redis tier alike', async () => {
    const before = answeredBy(redisTierOnly);
    const answer = await hitOf(redisTierOnly, '/v1/taxonomy/stages');
    expect(answeredBy(redisTierOnly) - before).toBe(2);
    expect(answer).toEqual(await hitOf(plainNestOnly, '/v1/taxonomy/stages'));
  });

  it('counts its answers in the request metrics, by route pattern', async () => {
    const before = answeredBy(plain);
    await hitOf(plain, '/v1/taxonomy/stages');
    expect(answeredBy(plain)).toBeGreaterThan(before);
    const metrics = await request(plain.getHttpServer()).get('/metrics').expect(200);
    const line = metrics.text
      .split('\n')
      .find((l) =>
        l.startsWith(
          'http_request_duration_seconds_count{method="GET",route="/v1/taxonomy/:kind",status_code="304"}',
        ),
      );
    expect(Number(line?.split(' ').pop())).toBeGreaterThanOrEqual(2);
  });

  it('hands to Fastify what it does not answer: a body, an Origin under CORS, another method', async () => {
    const http = request(fast.getHttpServer());
    await http.get('/v1/taxonomy/masks').set(bearer(TEST_KEYS.bob)).expect(200);
    const before = answeredBy(fast);
    const withOrigin = await http
      .get('/v1/taxonomy/masks')
      .set(bearer(TEST_KEYS.bob))
      .set('origin', ORIGIN)
      .expect(200);
    expect(withOrigin.headers['access-control-allow-origin']).toBe(ORIGIN);
    await http.head('/v1/taxonomy/masks').set(bearer(TEST_KEYS.bob)).expect(200);
    await http
      .get('/v1/taxonomy/masks')
      .set(bearer(TEST_KEYS.bob))
      .set('content-type', 'application/json')
      .send('{}');
    expect(answeredBy(fast)).toBe(before);
    await http.get('/v1/taxonomy/masks').set(bearer(TEST_KEYS.bob)).expect(200);
    expect(answeredBy(fast)).toBe(before + 1);
  });

  it("an extension's global guard still sees every cached read", async () => {
    const http = request(guarded.getHttpServer());
    await http.get('/v1/taxonomy/stages').set(bearer(TEST_KEYS.bob)).expect(200);
    const hit = await http.get('/v1/taxonomy/stages').set(bearer(TEST_KEYS.bob)).expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    const denied = await http.get('/v1/taxonomy/stages').set(bearer(TEST_KEYS.bob)).set('x-deny', '1');
    expect([denied.status, denied.body.message]).toEqual([403, 'denied by extension']);
  });

  it('under CORS, a hit answers as the Nest route does, with and without an Origin', async () => {
    const withOrigin = await hitOf(fast, '/v1/taxonomy/epochs', { origin: ORIGIN });
    expect(withOrigin.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(withOrigin).toEqual(await hitOf(guarded, '/v1/taxonomy/epochs', { origin: ORIGIN }));
    expect(await hitOf(fast, '/v1/taxonomy/epochs')).toEqual(await hitOf(guarded, '/v1/taxonomy/epochs'));
  });

  it('charges each request once against the limit, hit or miss, and refuses the one over it', async () => {
    const http = request(fast.getHttpServer());
    const remaining: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await http.get('/v1/taxonomy/masks').set(asAlice).expect(200);
      remaining.push(res.headers['ratelimit-remaining']);
    }
    expect(remaining).toEqual(['5', '4', '3', '2', '1', '0']);
    const refused = await http.get('/v1/taxonomy/masks').set(asAlice).expect(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(refused.body.statusCode).toBe(429);
  });

  it('no key or a bad key still gets 401 on a cached route; an admin key reads it', async () => {
    const http = request(fast.getHttpServer());
    await http.get('/v1/taxonomy/masks').set(bearer(TEST_KEYS.bob)).expect(200);
    await http.get('/v1/taxonomy/masks').expect(401);
    await http.get('/v1/taxonomy/masks').set(bearer('not-a-real-key-0123456789')).expect(401);
    const admin = await http.get('/v1/taxonomy/masks').set(bearer(TEST_KEYS.admin)).expect(200);
    expect(admin.headers['x-cache']).toBe('HIT');
  });
});
