import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { routeDocSets } from '../../src/openapi/openapi.setup.js';
import { RouteRecorderModule, servedRoutes } from '../ops/route-recorder.js';
import { eventually } from '../support/eventually.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { TEST_EXTENSIONS, TEST_KEYS, testConfig } from '../support/test-env.js';
import { NARRATIVE_INPUT, TaskClient } from '../tasks/task-test-kit.js';
import { baseUrl, call, isErrorBody, type Who } from './security-kit.js';

type Expect = Record<Who, number>;
interface Row {
  path?: string;
  body?: unknown;
  expect: Expect;
}

const WHO: Who[] = ['none', 'alice', 'bob', 'admin'];
const PUBLIC: Expect = { none: 200, alice: 200, bob: 200, admin: 200 };
const ANY_KEY: Expect = { none: 401, alice: 200, bob: 200, admin: 200 };
const ADMIN = (ok: number): Expect => ({ none: 401, alice: 403, bob: 403, admin: ok });
/** alice owns the task; bob must see exactly what a missing task shows; the admin sees every task. */
const OWNER = (ok: number): Expect => ({ none: 401, alice: ok, bob: 404, admin: ok });

const SCHEDULE = { type: 'job-search', input: { query: 'nurse' }, every: 3_600_000 };
const PIPELINE = {
  mode: 'development',
  steps: [{ id: 'search', type: 'job-search', input: { query: 'nurse' } }],
};
/**
 * Every route the app serves, in the order they run (writes before the deletes that undo them). A route
 * added without a line here fails the first test. {id} is one of alice's completed tasks; {run} is alice's
 * development pipeline run whose one step has completed, so no line below starts any work.
 */
const TABLE: Record<string, Row> = {
  'GET /health/live': { expect: PUBLIC },
  'GET /health/ready': { expect: PUBLIC },
  'GET /health': { expect: PUBLIC },
  'GET /metrics': { expect: PUBLIC },
  'GET /docs': { expect: PUBLIC },
  'GET /docs/index.html': { expect: PUBLIC },
  // Swagger registers the route, but swagger-ui-dist ships no such file: a public 404.
  'GET /docs/LICENSE': { expect: { none: 404, alice: 404, bob: 404, admin: 404 } },
  'GET /docs/swagger-ui-init.js': { expect: PUBLIC },
  'GET /docs/docs/swagger-ui-init.js': { expect: PUBLIC },
  'GET /docs/openapi.json': { expect: PUBLIC },
  'GET /docs/*': { path: '/docs/swagger-ui-bundle.js', expect: PUBLIC },
  'GET /v1/taxonomy': { expect: ANY_KEY },
  'GET /v1/taxonomy/{kind}': { path: '/v1/taxonomy/masks', expect: ANY_KEY },
  'GET /v1/taxonomy/{kind}/{slug}': { path: '/v1/taxonomy/masks/the-builder', expect: ANY_KEY },
  'PUT /v1/taxonomy/{kind}/{slug}': {
    path: '/v1/taxonomy/masks/authz-probe',
    body: { name: 'Probe' },
    expect: ADMIN(201),
  },
  'DELETE /v1/taxonomy/{kind}/{slug}': { path: '/v1/taxonomy/masks/authz-probe', expect: ADMIN(204) },
  'POST /v1/admin/cache/flush': { body: {}, expect: ADMIN(204) },
  'POST /v1/tasks/{type}': {
    path: '/v1/tasks/job-search',
    body: { input: { query: 'nurse' } },
    expect: { ...ANY_KEY, alice: 202, bob: 202, admin: 202 },
  },
  'GET /v1/tasks': { expect: ANY_KEY },
  'GET /v1/tasks/{id}': { expect: OWNER(200) },
  'DELETE /v1/tasks/{id}': { expect: OWNER(409) },
  'POST /v1/tasks/{id}/retry': { expect: OWNER(409) },
  'GET /v1/tasks/{id}/events': { expect: OWNER(200) },
  'GET /v1/tasks/{id}/artifact': { expect: OWNER(200) },
  'POST /v1/pipelines': { body: PIPELINE, expect: { ...ANY_KEY, alice: 202, bob: 202, admin: 202 } },
  'GET /v1/pipelines/{id}': { path: '/v1/pipelines/{run}', expect: OWNER(200) },
  'GET /v1/pipelines/{id}/events': { path: '/v1/pipelines/{run}/events', expect: OWNER(200) },
  // Every step has completed: nothing to run, and a finished run cannot be cancelled.
  'POST /v1/pipelines/{id}/step': { path: '/v1/pipelines/{run}/step', body: {}, expect: OWNER(409) },
  'POST /v1/pipelines/{id}/run': { path: '/v1/pipelines/{run}/run', body: {}, expect: OWNER(409) },
  'POST /v1/pipelines/{id}/rerun': {
    path: '/v1/pipelines/{run}/rerun',
    body: { from: 'no-such-step' },
    expect: OWNER(400),
  },
  'DELETE /v1/pipelines/{id}': { path: '/v1/pipelines/{run}', expect: OWNER(409) },
  // Last: a PATCH makes the step runnable again.
  'PATCH /v1/pipelines/{id}/steps/{stepId}': {
    path: '/v1/pipelines/{run}/steps/search',
    body: { input: { query: 'nurse' } },
    expect: OWNER(200),
  },
  'PUT /v1/schedules/{name}': { path: '/v1/schedules/authz-probe', body: SCHEDULE, expect: ADMIN(200) },
  'GET /v1/schedules': { expect: ADMIN(200) },
  'DELETE /v1/schedules/{name}': { path: '/v1/schedules/authz-probe', expect: ADMIN(204) },
};
/** Bull Board brings its own routes, all behind its own Basic auth (src/admin): an API key is not enough. */
const BULL_BOARD = '/admin/queues';

const routeKey = (r: string) => (r.startsWith('HEAD ') ? `GET ${r.slice(5)}` : r);

describe('authorization over every route', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let base: string;
  let ids: { narrative: string; pdf: string; run: string };

  beforeAll(async () => {
    redis = await TestRedis.start();
    app = await startTestApp(testConfig(redis.url, { RATE_LIMITS: 'default=100000/60s' }), [
      RouteRecorderModule,
    ]);
    base = await baseUrl(app);
    const tasks = new TaskClient(app);
    const narrative = await tasks.create('narrative', NARRATIVE_INPUT, 'alice');
    const pdf = await tasks.create(
      'pdf',
      { title: 'Probe', sections: [{ heading: 'A', body: 'B' }] },
      'alice',
    );
    const run = ((await call(base, 'POST', '/v1/pipelines', 'alice', PIPELINE)).body as { id: string }).id;
    expect((await call(base, 'POST', `/v1/pipelines/${run}/run`, 'alice', {})).status).toBe(202);
    await tasks.waitFor(narrative, 'completed');
    await tasks.waitFor(pdf, 'completed');
    await eventually(async () => {
      const view = (await call(base, 'GET', `/v1/pipelines/${run}`, 'alice')).body as { state: string };
      expect(view.state).toBe('completed');
    }, 30_000);
    ids = { narrative, pdf, run };
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it("has a line for every route the app serves (an extension's: the access its route docs declare)", async () => {
    const served = [...new Set(servedRoutes.map(routeKey))];
    expect(served.length).toBeGreaterThan(30);
    const unlisted = served.filter((r) => !(r in TABLE) && !r.split(' ')[1].startsWith(BULL_BOARD));
    // Without extensions, a route with no line here is a route nobody decided the access of.
    if (!TEST_EXTENSIONS) return expect(unlisted).toEqual([]);
    // With them (.ci/run's second pass), each route they bring is checked against its documented access.
    const docs = Object.assign({}, ...routeDocSets(app).map((set) => set.routes()));
    for (const route of unlisted) {
      const access = docs[route]?.access as string | undefined;
      const [method, template] = route.split(' ');
      const path = template.replace(/\{[^}]+\}/g, 'authz-probe');
      const body = ['PUT', 'PATCH', 'POST'].includes(method) ? {} : undefined;
      const got: Record<string, string> = {};
      for (const who of WHO) {
        const { status } = await call(base, method, path, who, body);
        got[who] = status === 401 || status === 403 ? String(status) : 'allowed';
      }
      const want = {
        public: { none: 'allowed', alice: 'allowed', bob: 'allowed', admin: 'allowed' },
        key: { none: '401', alice: 'allowed', bob: 'allowed', admin: 'allowed' },
        admin: { none: '401', alice: '403', bob: '403', admin: 'allowed' },
      }[access ?? 'undocumented'];
      expect({ route, access, ...got }).toEqual({ route, access, ...want });
    }
  });

  it.each(Object.entries(TABLE))('%s × {no key, client A, client B, admin}', async (route, row) => {
    const [method, template] = route.split(' ');
    const id = template.endsWith('/artifact') ? ids.pdf : ids.narrative;
    const path = (row.path ?? template.replace('{id}', id)).replace('{run}', ids.run);
    const methods =
      method === 'GET' && servedRoutes.includes(`HEAD ${template}`) ? [method, 'HEAD'] : [method];
    for (const m of methods) {
      const got: Record<string, number> = {};
      for (const who of WHO) {
        const res = await call(base, m, path, who, m === 'HEAD' ? undefined : row.body);
        got[who] = res.status;
        if (res.status >= 400 && m !== 'HEAD') expect(isErrorBody(res.body, res.status)).toBe(true);
      }
      expect({ method: m, ...got }).toEqual({ method: m, ...row.expect });
    }
  });

  it('Bull Board: every route refuses no key, API keys as Bearer, and client keys as Basic', async () => {
    const routes = [...new Set(servedRoutes.filter((r) => r.split(' ')[1].startsWith(BULL_BOARD)))];
    expect(routes.length).toBeGreaterThan(20);
    const basic = (user: string, key: string) => ({
      authorization: `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`,
    });
    for (const route of routes) {
      const [method, template] = route.split(' ');
      const path = template.replace(/\{[^}]+\}/g, 'no-such').replace('*', 'none.js');
      const body = ['PUT', 'PATCH', 'POST'].includes(method) ? {} : undefined;
      for (const who of WHO)
        expect([route, who, (await call(base, method, path, who, body)).status]).toEqual([route, who, 401]);
      const client = await call(base, method, path, 'none', body, basic('alice', TEST_KEYS.alice));
      expect([route, client.status]).toEqual([route, 401]);
      const admin = await call(base, method, path, 'none', body, basic('root', TEST_KEYS.admin));
      expect([route, admin.status === 401 || admin.status === 403 || admin.status >= 500]).toEqual([
        route,
        false,
      ]);
    }
  });

  it("another client's task id answers exactly like an id that does not exist", async () => {
    const unknown = `narrative.${'A'.repeat(22)}`;
    for (const [method, suffix] of [
      ['GET', ''],
      ['DELETE', ''],
      ['POST', '/retry'],
      ['GET', '/events'],
      ['GET', '/artifact'],
    ]) {
      const foreign = await call(base, method, `/v1/tasks/${ids.narrative}${suffix}`, 'bob');
      const missing = await call(base, method, `/v1/tasks/${unknown}${suffix}`, 'bob');
      expect(foreign.status).toBe(404);
      expect((foreign.body as { message: string }).message.replace(ids.narrative, 'ID')).toBe(
        (missing.body as { message: string }).message.replace(unknown, 'ID'),
      );
    }
    const listing = await call(base, 'GET', '/v1/tasks', 'bob');
    expect(JSON.stringify(listing.body)).not.toContain(ids.narrative);
  });

  it("a reference to another client's task in an input (fromTask, attachTask) is refused like an unknown one", async () => {
    const cases = [
      ['pdf', (ref: string) => ({ title: 'Stolen', fromTask: ref }), ids.narrative, 'narrative'],
      [
        'email',
        (ref: string) => ({ to: ['a@example.com'], subject: 'x', text: 'y', attachTask: ref }),
        ids.pdf,
        'pdf',
      ],
    ] as const;
    for (const [type, input, foreignId, refType] of cases) {
      const foreign = await call(base, 'POST', `/v1/tasks/${type}`, 'bob', { input: input(foreignId) });
      const missing = await call(base, 'POST', `/v1/tasks/${type}`, 'bob', {
        input: input(`${refType}.${'B'.repeat(22)}`),
      });
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual(missing.body);
      // The owner may.
      expect(
        (await call(base, 'POST', `/v1/tasks/${type}`, 'alice', { input: input(foreignId) })).status,
      ).toBe(202);
    }
  });
});
