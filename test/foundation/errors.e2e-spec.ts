import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { Body, Controller, Module, Post } from '@nestjs/common';
import { z } from 'zod';
import { RouteDocSet, routeDocsProvider } from '../../src/http/route-doc-set.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, TEST_KEYS, testConfig } from '../support/test-env.js';

@Controller('echo')
class EchoController {
  @Post()
  echo(@Body() body: unknown) {
    return { size: JSON.stringify(body).length };
  }
}

/** A module from outside src/ documents its routes as src/ modules do (the contract check reads them). */
const echoRouteDocs = routeDocsProvider(
  'echo',
  () =>
    new RouteDocSet([{ name: 'echo', description: 'Test routes' }], () => ({
      'POST /echo': {
        operationId: 'echo',
        summary: 'The size of the JSON body sent',
        tag: 'echo',
        access: 'key',
        body: { type: 'object', description: 'Any JSON object' },
        responses: {
          201: {
            description: 'Its size',
            schema: z.object({ size: z.number().int() }).meta({ id: 'EchoSize' }),
          },
        },
      },
    })),
);

@Module({ controllers: [EchoController], providers: [echoRouteDocs] })
class EchoModule {}

describe('error shape', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  const shape = { statusCode: expect.any(Number), error: expect.any(String), message: expect.any(String) };

  beforeAll(async () => {
    redis = await TestRedis.start();
    app = await startTestApp(testConfig(redis.url), [EchoModule]);
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('unknown routes are 404 JSON', async () => {
    const res = await request(app.getHttpServer())
      .get('/no/such/route')
      .set(bearer(TEST_KEYS.alice))
      .expect(404);
    expect(res.body).toMatchObject({ ...shape, statusCode: 404, error: 'Not Found' });
  });

  it('a path Fastify cannot route (too long a segment, bad percent-encoding) answers in the same shape', async () => {
    const http = request(app.getHttpServer());
    const long = await http
      .get(`/v1/tasks/${'x'.repeat(3000)}`)
      .set(bearer(TEST_KEYS.alice))
      .expect(414);
    expect(long.body).toEqual({
      statusCode: 414,
      error: 'URI Too Long',
      message: 'a path segment is too long',
    });
    expect(long.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(long.headers['x-content-type-options']).toBe('nosniff');
    const bad = await http.get('/v1/taxonomy/masks/%E0%A4%A').set(bearer(TEST_KEYS.alice)).expect(400);
    expect(bad.body).toMatchObject({ ...shape, statusCode: 400, error: 'Bad Request' });
    expect(bad.body.message).not.toContain('%E0');
  });

  it('malformed JSON is 400 JSON', async () => {
    const res = await request(app.getHttpServer())
      .post('/echo')
      .set(bearer(TEST_KEYS.alice))
      .set('content-type', 'application/json')
      .send('{"a": ')
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'the request body is not valid JSON',
    });
  });

  it('bodies over 1 MiB are 413 JSON', async () => {
    const big = JSON.stringify({ blob: 'x'.repeat(1024 * 1024) });
    const res = await request(app.getHttpServer())
      .post('/echo')
      .set(bearer(TEST_KEYS.alice))
      .set('content-type', 'application/json')
      .send(big)
      .expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('a body just under the limit is accepted', async () => {
    const body = { blob: 'x'.repeat(1024 * 1024 - 100) };
    await request(app.getHttpServer()).post('/echo').set(bearer(TEST_KEYS.alice)).send(body).expect(201);
  });

  it('every response carries a request id, and a caller-given one is kept', async () => {
    const res = await request(app.getHttpServer()).get('/health/live').set('x-request-id', 'trace-abc.123');
    expect(res.headers['x-request-id']).toBe('trace-abc.123');
    const other = await request(app.getHttpServer())
      .get('/health/live')
      .set('x-request-id', 'bad id\twith tab');
    expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
