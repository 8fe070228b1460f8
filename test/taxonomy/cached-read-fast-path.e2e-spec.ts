import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  Module,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { CachedRouteFastPath } from '../../src/cache/cached-route.fast-path.js';
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

const ORIGIN = 'https://app.example.com';
const asAlice = bearer(TEST_KEYS.alice);
/** Headers whose values differ between any two answers. */
const VARYING = new Set(['date', 'x-request-id', 'ratelimit-reset', 'ratelimit-remaining', 'keep-alive']);

describe('cached reads: the fast path', () => {
  let redis: TestRedis;
  let fast: NestFastifyApplication;
  let guarded: NestFastifyApplication;

  beforeAll(async () => {
    redis = await TestRedis.start();
    const env = { APP_ROLE: 'api', CORS_ORIGINS: ORIGIN, RATE_LIMITS: 'default=6/60s,bob:default=1000/60s' };
    fast = await startTestApp(testConfig(redis.url, env));
    guarded = await startTestApp(testConfig(redis.url, env), [DenyMarkedModule]);
  });
  afterAll(async () => {
    await guarded?.close();
    await fast?.close();
    await redis?.stop();
  });

  it('serves the cached routes, and stays off when an extension adds a global guard', () => {
    expect(fast.get(CachedRouteFastPath).routes).toEqual(
      expect.arrayContaining(['/v1/taxonomy', '/v1/taxonomy/:kind', '/v1/taxonomy/:kind/:slug']),
    );
    expect(guarded.get(CachedRouteFastPath).routes).toEqual([]);
  });

  it("an extension's global guard still sees every cached read", async () => {
    const http = request(guarded.getHttpServer());
    await http.get('/v1/taxonomy/stages').set(bearer(TEST_KEYS.bob)).expect(200);
    const hit = await http.get('/v1/taxonomy/stages').set(bearer(TEST_KEYS.bob)).expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    const denied = await http.get('/v1/taxonomy/stages').set(bearer(TEST_KEYS.bob)).set('x-deny', '1');
    expect([denied.status, denied.body.message]).toEqual([403, 'denied by extension']);
  });

  it('a hit answers exactly as the Nest route does: status, body, ETag, 304, security, CORS and limit headers', async () => {
    const answers = [];
    for (const app of [fast, guarded]) {
      const http = request(app.getHttpServer());
      const who = bearer(TEST_KEYS.bob);
      await http.get('/v1/taxonomy/epochs').set(who).set('origin', ORIGIN).expect(200);
      const hit = await http.get('/v1/taxonomy/epochs').set(who).set('origin', ORIGIN).expect(200);
      const notModified = await http
        .get('/v1/taxonomy/epochs')
        .set(who)
        .set('if-none-match', hit.headers.etag)
        .expect(304);
      const headers = Object.entries(hit.headers).filter(([name]) => !VARYING.has(name));
      answers.push({
        headers: Object.fromEntries(headers.sort()),
        body: hit.body,
        notModified: notModified.text,
      });
      expect(hit.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(hit.headers['x-request-id']).toMatch(/\S/);
      expect(hit.headers['x-cache']).toBe('HIT');
    }
    expect(answers[0]).toEqual(answers[1]);
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
