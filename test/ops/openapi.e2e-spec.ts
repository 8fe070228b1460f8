import { Validator } from '@seriousme/openapi-schema-validator';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { metricsRouteDocs } from '../../src/metrics/metrics.route-docs.js';
import { buildDocument } from '../../src/openapi/openapi-document.js';
import { schemaNameOf } from '../../src/tasks/task-api.schemas.js';
import { TaskRegistry } from '../../src/tasks/task-registry.service.js';
import { TAXONOMY_KINDS } from '../../src/taxonomy/taxonomy-kind.js';
import type { AppConfig } from '../../src/config/load-config.js';
import { probeTaskModule } from '../tasks/probe-task.js';
import { TaskClient, TASK_MODULES } from '../tasks/task-test-kit.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, testConfig, TEST_KEYS } from '../support/test-env.js';
import { contractLog, flushContractChecks } from '../support/contract/contract-log.js';
import { CachedRouteFastPath } from '../../src/edge/cached-route.fast-path.js';
import { RouteRecorderModule, servedRoutes } from './route-recorder.js';

/**
 * Served, but deliberately not in the document: the assets of Swagger UI itself, and Bull Board's own
 * UI routes and private JSON API (its entry page, /admin/queues, is documented).
 */
const UNDOCUMENTED = [/^GET \/docs\/.+(?<!openapi\.json)$/, /^[A-Z]+ \/admin\/queues\/.+/];

type Doc = { paths: Record<string, Record<string, any>>; components: Record<string, any>; tags: any[] };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('OpenAPI document', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let config: AppConfig;
  let doc: Doc;
  let types: string[];
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op })),
    );

  beforeAll(async () => {
    redis = await TestRedis.start();
    config = testConfig(redis.url);
    // The probe is a task type from outside src/: it must appear exactly like the built-in ones.
    app = await startTestApp(config, [...TASK_MODULES, probeTaskModule(), RouteRecorderModule]);
    const res = await request(app.getHttpServer()).get('/docs/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body;
    types = [...app.get(TaskRegistry).all().keys()];
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

  it('lists every route the app serves, and only those; a {type} or {kind} route once per registered one', () => {
    const expand = (route: string) => {
      if (route.includes('{type}')) return types.map((t) => route.replace('{type}', t));
      if (route.includes('{kind}')) return TAXONOMY_KINDS.map((k) => route.replace('{kind}', k));
      return [route];
    };
    const served = [...new Set(servedRoutes)]
      .filter((r) => !r.startsWith('HEAD ') && !UNDOCUMENTED.some((re) => re.test(r)))
      .flatMap(expand);
    const documented = operations().map((o) => o.where);
    expect(served.length).toBeGreaterThan(20);
    expect(served.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((r) => !served.includes(r))).toEqual([]);
    expect(types).toContain('probe');
  });

  it('describes every operation: id, summary, tag, security, a success answer, errors, the request id', () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = doc.tags.map((t) => t.name);
    for (const { where, op } of operations()) {
      expect({ where, operationId: typeof op.operationId, summary: typeof op.summary }).toEqual({
        where,
        operationId: 'string',
        summary: 'string',
      });
      expect({ where, tagged: tags.includes(op.tags[0]), security: Array.isArray(op.security) }).toEqual({
        where,
        tagged: true,
        security: true,
      });
      expect({ where, success: Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)) }).toEqual({
        where,
        success: true,
      });
      expect(op.responses.default.content['application/json'].schema).toEqual(ref('ErrorBody'));
      if (op.security.length > 0)
        expect({ where, statuses: Object.keys(op.responses) }).toMatchObject({
          where,
          statuses: expect.arrayContaining(['401']),
        });
      for (const [status, response] of Object.entries<any>(op.responses)) {
        expect({ where, status, header: response.headers?.['X-Request-Id'] }).toEqual({
          where,
          status,
          header: { $ref: '#/components/headers/X-Request-Id' },
        });
      }
      for (const p of op.parameters ?? [])
        expect({ where, param: p.name, example: p.example !== undefined || p.in === 'query' }).toEqual({
          where,
          param: p.name,
          example: true,
        });
    }
  });

  it('names a schema for every resource and refers to it wherever it appears', () => {
    const named = Object.keys(doc.components.schemas);
    expect(named).toEqual(
      expect.arrayContaining([
        'ErrorBody',
        'Task',
        'TaskState',
        'TaskAccepted',
        'TaskPage',
        'TaskOptions',
        'TaskProgressEvent',
        'Schedule',
        'ScheduleList',
        'ScheduleRequest',
        'PipelineRun',
        'Step',
        'StepState',
        'CreatePipelineRequest',
        'TaxonomySnapshot',
        'Mask',
        'Epoch',
        'Stage',
        'StageBody',
        'Health',
      ]),
    );
    // Every JSON answer of an operation is a named schema, not written out in place.
    for (const { where, op } of operations()) {
      for (const [status, response] of Object.entries<any>(op.responses)) {
        const schema = response.content?.['application/json']?.schema;
        if (schema)
          expect({ where, status, ref: typeof schema.$ref }).toEqual({ where, status, ref: 'string' });
      }
    }
  });

  it('gives every registered task type its create path, input, result and task view, tied by `type`', () => {
    const task = doc.components.schemas.Task;
    expect(task.discriminator.propertyName).toBe('type');
    expect(Object.keys(task.discriminator.mapping).sort()).toEqual([...types].sort());
    for (const type of types) {
      const name = schemaNameOf(type);
      const create = doc.paths[`/v1/tasks/${type}`].post;
      expect(create.operationId).toBe(`create${name}Task`);
      expect(create.requestBody.content['application/json'].schema).toEqual(ref(`Create${name}TaskRequest`));
      expect(create.responses['202'].headers.Location).toEqual({ $ref: '#/components/headers/Location' });
      expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['400', '413', '429']));
      const request = doc.components.schemas[`Create${name}TaskRequest`];
      expect(request.properties.input).toEqual(ref(`${name}Input`));
      expect(request.additionalProperties).toBe(false);
      // The service refuses unknown fields at any depth of an input; the document says so.
      expect(doc.components.schemas[`${name}Input`].additionalProperties).toBe(false);
      const view = doc.components.schemas[`${name}Task`];
      expect(view.properties.type.enum).toEqual([type]);
      expect(view.properties.result).toEqual(ref(`${name}Result`));
      expect(task.oneOf).toContainEqual(ref(`${name}Task`));
      expect(doc.components.schemas[`${name}Step`].properties.output).toEqual(ref(`${name}Result`));
    }
    expect(doc.paths['/v1/tasks/{type}']).toBeUndefined();
  });

  it('states what the service enforces', () => {
    const s = doc.components.schemas;
    // No string in a task input may promise more than the input limit allows.
    const limit = config.security.taskInputMaxBytes;
    expect(s.EmailInput.properties.text.maxLength).toBeLessThanOrEqual(limit);
    expect(s.JobSearchInput.required).toEqual(['query']);
    expect(s.JobSearchScheduleRequest.oneOf).toEqual([{ required: ['every'] }, { required: ['cron'] }]);
    expect(s.JobSearchScheduleRequest.additionalProperties).toBe(false);
    expect(s.StageBody.required).toEqual(expect.arrayContaining(['name', 'epochSlug']));
    expect(s.MaskBody.properties.epochSlug).toBeUndefined();
    expect(s.MaskBody.additionalProperties).toBe(false);
    expect(s.Mask.properties.slug.pattern).toBe('^[a-z0-9]+(?:-[a-z0-9]+)*$');
    // A repeated Idempotency-Key answers with the first task's current state, which may be any state.
    expect(s.TaskAccepted.properties.state.allOf).toEqual([ref('TaskState')]);
    expect(doc.paths['/v1/admin/cache/flush'].post.requestBody.required).toBe(false);
    expect(doc.paths['/v1/taxonomy/masks'].get.responses['304'].headers.ETag).toBeDefined();
    expect(doc.paths['/v1/tasks'].get.responses['429'].headers['Retry-After']).toBeDefined();
    const events = doc.paths['/v1/tasks/{id}/events'].get.responses['200'].content['text/event-stream'];
    expect(Object.keys(events['x-sse-events'])).toEqual(['state', 'progress', 'completed', 'failed']);
  });

  it('documents /metrics as open without METRICS_TOKEN, and as needing it when set', () => {
    expect(doc.paths['/metrics'].get.security).toEqual([]);
    expect(doc.components.securitySchemes.metricsToken).toBeUndefined();
    const withToken = { ...config, ops: { ...config.ops, metricsToken: 'scrape-token-0123456789' } };
    const guarded = buildDocument([metricsRouteDocs.useFactory(withToken)], {
      title: 'metrics',
      version: 'v1',
      description: 'metrics only',
      servers: [],
      requestIdHeader: 'x-request-id',
      bodyLimitBytes: 1024,
    });
    expect((guarded.paths['/metrics'] as any).get.security).toEqual([{ metricsToken: [] }]);
    expect(Object.keys((guarded.paths['/metrics'] as any).get.responses)).toContain('401');
    expect(guarded.components?.securitySchemes?.metricsToken).toBeDefined();
  });

  it('refuses a body the document forbids, as the document says', async () => {
    const res = await new TaskClient(app).post('job-search', { input: { query: 'x' }, attempts: 9 });
    expect(res.status).toBe(400);
    expect(doc.components.schemas.CreateJobSearchTaskRequest.properties.attempts).toBeUndefined();
  });

  it('has every answer the app sends checked against it, cached reads from the fast path included', async () => {
    const http = request(app.getHttpServer());
    const key = bearer(TEST_KEYS.alice);
    flushContractChecks();
    const before = contractLog.checked;
    const answered = app.get(CachedRouteFastPath).answered;
    await http.get('/v1/taxonomy/masks').set(key);
    const hit = await http.get('/v1/taxonomy/masks').set(key);
    expect(hit.headers['x-cache']).toBe('HIT');
    const notModified = await http.get('/v1/taxonomy/masks').set(key).set('if-none-match', hit.headers.etag);
    expect(notModified.status).toBe(304);
    await new Promise((resolve) => setImmediate(resolve));
    flushContractChecks();
    expect(app.get(CachedRouteFastPath).answered).toBeGreaterThan(answered);
    expect(contractLog.checked - before).toBe(3);
    expect(contractLog.violations).toEqual([]);
  });

  it('serves Swagger UI', async () => {
    const res = await request(app.getHttpServer()).get('/docs');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/swagger-ui/);
  });
});
