import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { Controller, Get, Module, Post } from '@nestjs/common';
import { z } from 'zod';
import { RouteDocSet, routeDocsProvider } from '../../src/http/route-doc-set.js';
import { AdminOnly, CurrentPrincipal } from '../../src/auth/auth.decorators.js';
import type { Principal } from '../../src/auth/principal.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, TEST_KEYS, testConfig } from '../support/test-env.js';

@Controller('probe')
class ProbeController {
  @Get('whoami')
  whoami(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @Post('admin')
  @AdminOnly()
  admin() {
    return { ok: true };
  }
}

/** A module from outside src/ documents its routes as src/ modules do (the contract check reads them). */
const probeRouteDocs = routeDocsProvider(
  'auth-probe',
  () =>
    new RouteDocSet([{ name: 'probe', description: 'Test routes' }], () => ({
      'GET /probe/whoami': {
        operationId: 'whoami',
        summary: 'The principal of the key sent',
        tag: 'probe',
        access: 'key',
        responses: {
          200: {
            description: 'The principal',
            schema: z
              .object({ id: z.string(), role: z.enum(['admin', 'client']) })
              .meta({ id: 'ProbePrincipal' }),
          },
        },
      },
      'POST /probe/admin': {
        operationId: 'adminOnly',
        summary: 'Admin keys only',
        tag: 'probe',
        access: 'admin',
        responses: {
          201: { description: 'Allowed', schema: z.object({ ok: z.boolean() }).meta({ id: 'ProbeOk' }) },
        },
      },
    })),
);

@Module({ controllers: [ProbeController], providers: [probeRouteDocs] })
class ProbeModule {}

describe('API keys', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    redis = await TestRedis.start();
    app = await startTestApp(testConfig(redis.url), [ProbeModule]);
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('401 with the error shape when no key is given', async () => {
    const res = await request(app.getHttpServer()).get('/probe/whoami').expect(401);
    expect(res.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: expect.stringMatching(/API key/),
    });
  });

  it('401 for an unknown key, in either header', async () => {
    await request(app.getHttpServer())
      .get('/probe/whoami')
      .set(bearer('not-a-key-at-all-xxxxxx'))
      .expect(401);
    await request(app.getHttpServer()).get('/probe/whoami').set('x-api-key', 'nope').expect(401);
    await request(app.getHttpServer())
      .get('/probe/whoami')
      .set('authorization', `Basic ${TEST_KEYS.alice}`)
      .expect(401);
  });

  it('exposes the principal to handlers, from Bearer or X-API-Key', async () => {
    const a = await request(app.getHttpServer())
      .get('/probe/whoami')
      .set(bearer(TEST_KEYS.alice))
      .expect(200);
    expect(a.body).toEqual({ id: 'alice', role: 'client' });
    const b = await request(app.getHttpServer())
      .get('/probe/whoami')
      .set('x-api-key', TEST_KEYS.admin)
      .expect(200);
    expect(b.body).toEqual({ id: 'root', role: 'admin' });
  });

  it('403 for a client key on an admin-only route; admin passes', async () => {
    const res = await request(app.getHttpServer())
      .post('/probe/admin')
      .set(bearer(TEST_KEYS.bob))
      .expect(403);
    expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    await request(app.getHttpServer()).post('/probe/admin').set(bearer(TEST_KEYS.admin)).expect(201);
  });

  it('health probes need no key', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200);
  });
});
