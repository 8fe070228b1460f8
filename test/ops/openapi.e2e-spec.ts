import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { TaskClient, TASK_MODULES } from '../tasks/task-test-kit.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, testConfig, TEST_KEYS } from '../support/test-env.js';
import { RouteRecorderModule, servedRoutes } from './route-recorder.js';

/**
 * Served, but deliberately not in the document: the assets of Swagger UI itself, and Bull Board's own
 * UI routes and private JSON API (its entry page, /admin/queues, is documented).
 */
const UNDOCUMENTED = [/^GET \/docs\/.+(?<!openapi\.json)$/, /^[A-Z]+ \/admin\/queues\/.+/];

type Doc = { paths: Record<string, Record<string, any>>; components: Record<string, any> };

describe('OpenAPI document', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let doc: Doc;
  let ajv: Ajv;

  /** Validates a real answer against the schema the document gives for it. */
  const conforms = (path: string, method: string, status: number, body: unknown) => {
    const content = doc.paths[path][method].responses[String(status)].content;
    const schema = Object.values(content as Record<string, { schema: object }>)[0].schema;
    const validate = ajv.compile({ ...schema, components: doc.components });
    if (!validate(body)) throw new Error(`${method} ${path} ${status}: ${ajv.errorsText(validate.errors)}`);
  };

  beforeAll(async () => {
    redis = await TestRedis.start();
    app = await startTestApp(testConfig(redis.url), [...TASK_MODULES, RouteRecorderModule]);
    const res = await request(app.getHttpServer()).get('/docs/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body;
    // OpenAPI 3.0 keywords ajv does not know (`nullable`, `example`) are annotations here.
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
  });

  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('is a valid OpenAPI 3 document', async () => {
    const result = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every route the app serves, and only those', () => {
    const served = [...new Set(servedRoutes)].filter(
      (r) => !r.startsWith('HEAD ') && !UNDOCUMENTED.some((re) => re.test(r)),
    );
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(served.length).toBeGreaterThan(20);
    expect(served.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((r) => !served.includes(r))).toEqual([]);
  });

  it('describes every operation: summary, security, a success answer and the error body', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect({ where, summary: typeof op.summary }).toEqual({ where, summary: 'string' });
        expect({ where, security: Array.isArray(op.security) }).toEqual({ where, security: true });
        expect(Object.keys(op.responses).some((s) => /^2\d\d$/.test(s))).toBe(true);
        expect(op.responses.default.content['application/json'].schema).toEqual({
          $ref: '#/components/schemas/ErrorBody',
        });
        if (op.security.length > 0) expect(Object.keys(op.responses)).toContain('401');
      }
    }
  });

  it('declares the API-key schemes, the common error shape, and per-type task inputs', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.apiKey).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
    });
    expect(doc.components.schemas.ErrorBody.required).toEqual(['statusCode', 'error', 'message']);
    expect(doc.paths['/v1/taxonomy/{kind}/{slug}'].put.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
    expect(doc.paths['/health/ready'].get.security).toEqual([]);
    const body = doc.paths['/v1/tasks/{type}'].post.requestBody.content['application/json'].schema;
    expect(body.properties.input.oneOf.map((s: { title: string }) => s.title).sort()).toEqual([
      'email',
      'job-search',
      'narrative',
      'pdf',
    ]);
    expect(body.properties.input.oneOf.find((s: any) => s.title === 'job-search').required).toEqual([
      'query',
    ]);
    expect(body.additionalProperties).toBe(false);
  });

  it('matches what the routes really answer', async () => {
    const http = request(app.getHttpServer());
    const key = bearer(TEST_KEYS.alice);
    conforms('/v1/taxonomy', 'get', 200, (await http.get('/v1/taxonomy').set(key)).body);
    conforms('/v1/taxonomy/{kind}', 'get', 200, (await http.get('/v1/taxonomy/masks').set(key)).body);
    conforms('/v1/taxonomy/{kind}', 'get', 401, (await http.get('/v1/taxonomy/masks')).body);
    conforms('/health', 'get', 200, (await http.get('/health')).body);
    const bad = await http.put('/v1/taxonomy/masks/x').set(bearer(TEST_KEYS.admin)).send({ nope: 1 });
    expect(bad.status).toBe(400);
    conforms('/v1/taxonomy/{kind}/{slug}', 'put', 400, bad.body);

    const tasks = new TaskClient(app);
    const created = await tasks.post('job-search', { input: { query: 'nurse', limit: 3 } });
    expect(created.status).toBe(202);
    conforms('/v1/tasks/{type}', 'post', 202, created.body);
    conforms('/v1/tasks/{id}', 'get', 200, await tasks.waitFor(created.body.id, 'completed'));
    conforms('/v1/tasks', 'get', 200, (await http.get('/v1/tasks').set(key)).body);
  });

  it('refuses a body the document forbids, as the document says', async () => {
    const res = await new TaskClient(app).post('job-search', { input: { query: 'x' }, attempts: 9 });
    expect(res.status).toBe(400);
    conforms('/v1/tasks/{type}', 'post', 400, res.body);
  });

  it('serves Swagger UI', async () => {
    const res = await request(app.getHttpServer()).get('/docs');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/swagger-ui/);
  });
});
