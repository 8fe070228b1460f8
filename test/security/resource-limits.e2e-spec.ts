import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { eventually } from '../support/eventually.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, TEST_KEYS, testConfig } from '../support/test-env.js';
import { NARRATIVE_INPUT } from '../tasks/task-test-kit.js';
import { baseUrl, call, isErrorBody } from './security-kit.js';

const fields = (body: unknown) =>
  ((body as { details?: { field: string }[] }).details ?? []).map((d) => d.field);

describe('mass assignment and resource limits', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    redis = await TestRedis.start();
    app = await startTestApp(
      testConfig(redis.url, { RATE_LIMITS: 'default=100000/60s', SSE_MAX_PER_KEY: '2', APP_ROLE: 'api' }),
    );
    base = await baseUrl(app);
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('refuses fields a client may not set, at any depth, naming them', async () => {
    const sent = {
      input: { ...NARRATIVE_INPUT, owner: 'bob' },
      options: { priority: 1, attempts: 100, jobId: 'mine' },
      owner: 'bob',
    };
    const res = await call(base, 'POST', '/v1/tasks/narrative', 'alice', sent);
    expect(res.status).toBe(400);
    expect(fields(res.body).sort()).toEqual(['options.attempts', 'options.jobId', 'owner']);
    const nested = await call(base, 'POST', '/v1/tasks/narrative', 'alice', {
      input: { ...NARRATIVE_INPUT, owner: 'bob' },
    });
    expect(fields(nested.body)).toEqual(['input.owner']);
    const taxonomy = await call(base, 'PUT', '/v1/taxonomy/masks/mass', 'admin', {
      name: 'x',
      id: 7,
      version: 99,
    });
    expect(taxonomy.status).toBe(400);
    expect(fields(taxonomy.body).sort()).toEqual(['id', 'version']);
  });

  it('413 for a body over BODY_LIMIT_BYTES, and for a task input over 256 KiB', async () => {
    const huge = await call(base, 'POST', '/v1/tasks/narrative', 'alice', {
      input: { x: 'y'.repeat(1_100_000) },
    });
    expect(huge.status).toBe(413);
    expect(isErrorBody(huge.body, 413)).toBe(true);
    const input = { to: ['a@example.com'], subject: 'big', text: 'z'.repeat(300 * 1024) };
    const big = await call(base, 'POST', '/v1/tasks/email', 'alice', { input });
    expect(big.status).toBe(413);
    expect((big.body as { message: string }).message).toMatch(/262144 bytes/);
    const schedule = await call(base, 'PUT', '/v1/schedules/big', 'admin', {
      type: 'email',
      input,
      every: 60_000,
    });
    expect(schedule.status).toBe(413);
    // Just under the limit is only validated.
    const fits = await call(base, 'POST', '/v1/tasks/email', 'alice', {
      input: { ...input, text: 'z'.repeat(200 * 1024) },
    });
    expect(fits.status).toBe(202);
  });

  it('bounds page sizes, array and string lengths, PDF sections and e-mail recipients', async () => {
    const cases: [string, string, unknown, string][] = [
      ['GET', '/v1/tasks?limit=101', undefined, 'limit'],
      [
        'POST',
        '/v1/tasks/pdf',
        { input: { title: 't', sections: Array(51).fill({ heading: 'h', body: 'b' }) } },
        'input.sections',
      ],
      [
        'POST',
        '/v1/tasks/email',
        { input: { to: Array(51).fill('a@example.com'), subject: 's', text: 't' } },
        'input.to',
      ],
      ['POST', '/v1/tasks/job-search', { input: { query: 'q'.repeat(201) } }, 'input.query'],
      [
        'POST',
        '/v1/tasks/pdf',
        { input: { title: 't'.repeat(201), sections: [{ heading: 'h', body: 'b' }] } },
        'input.title',
      ],
      ['PUT', '/v1/taxonomy/masks/long', { name: 'n'.repeat(10_000) }, 'name'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await call(base, method, path, method === 'PUT' ? 'admin' : 'alice', body);
      expect([path, res.status]).toEqual([path, 400]);
      expect(fields(res.body)).toContain(field);
    }
  });

  it('allows SSE_MAX_PER_KEY open event streams per key, and one more after one closes', async () => {
    const created = await call(base, 'POST', '/v1/tasks/job-search', 'alice', {
      input: { query: 'nurse' },
      options: { delayMs: 3_600_000 },
    });
    const url = `${base}/v1/tasks/${(created.body as { id: string }).id}/events`;
    const open = (key: string = TEST_KEYS.alice) => {
      const controller = new AbortController();
      return fetch(url, { headers: bearer(key), signal: controller.signal }).then((res) => ({
        res,
        controller,
      }));
    };
    const first = await open();
    const second = await open();
    expect([first.res.status, second.res.status]).toEqual([200, 200]);
    const third = await open();
    expect(third.res.status).toBe(429);
    expect(isErrorBody(await third.res.json(), 429)).toBe(true);
    // Another key has its own slots (the admin may follow any task).
    const admin = await open(TEST_KEYS.admin);
    expect(admin.res.status).toBe(200);
    first.controller.abort();
    // The slot is freed when the server sees the stream close, a moment after the abort: asked again
    // until then (a refused stream holds no slot).
    const again = await eventually(async () => {
      const attempt = await open();
      if (attempt.res.status !== 200) attempt.controller.abort();
      expect(attempt.res.status).toBe(200);
      return attempt;
    }, 5_000);
    for (const s of [second, admin, again]) s.controller.abort();
  });
});
