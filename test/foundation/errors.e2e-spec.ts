import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { Body, Controller, Module, Post } from '@nestjs/common';
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

@Module({ controllers: [EchoController] })
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
