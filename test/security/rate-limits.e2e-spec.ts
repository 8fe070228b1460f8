import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { eventually } from '../support/eventually.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, TEST_API_KEYS, testConfig } from '../support/test-env.js';
import { NARRATIVE_INPUT } from '../tasks/task-test-kit.js';
import { baseUrl, call, isErrorBody } from './security-kit.js';

const LIMITS = [
  'default=5/60s,bob:default=8/60s,tasks:narrative=2/60s,taxonomy:write=3/60s',
  'carol:default=100/60s,dave:default=3/1s,frank:default=10/60s',
].join(',');
/** Extra clients, one per test below, so no test starts with a budget another one spent. */
const EXTRA = ['carol', 'dave', 'erin', 'frank'];
const keyOf = (id: string) => `test-${id}-key-0123456789abcdef`;
const API_KEYS = [TEST_API_KEYS, ...EXTRA.map((id) => `${id}:client:${keyOf(id)}`)].join(',');
const as = (id: string) => bearer(keyOf(id));
const ITEM = { name: 'Limit probe', description: 'rate limit test' };

describe('rate limits', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let other: NestFastifyApplication;
  let a: string;
  let b: string;

  /** The requests Redis has counted for a key's `default` window: the weights of the pushed members. */
  const sharedCount = (id: string) =>
    redis.withClient(async (client) => {
      const members = await client.zrange(`strata:ratelimit:default:${id}`, '0', '-1');
      return members.reduce<number>((sum, member) => sum + Number(member.split(':')[0]), 0);
    });

  beforeAll(async () => {
    redis = await TestRedis.start();
    const env = { API_KEYS, RATE_LIMITS: LIMITS, RATE_LIMIT_SYNC_MS: '100' };
    app = await startTestApp(testConfig(redis.url, env));
    other = await startTestApp(testConfig(redis.url, { ...env, APP_ROLE: 'api' }));
    [a, b] = [await baseUrl(app), await baseUrl(other)];
  });
  afterAll(async () => {
    await other?.close();
    await app?.close();
    await redis?.stop();
  });

  it('counts down on every answer, then the N+1th request is 429 with Retry-After and the error shape', async () => {
    for (let i = 1; i <= 5; i++) {
      const res = await call(a, 'GET', '/v1/taxonomy/masks', 'alice');
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBe('5');
      expect(res.headers.get('ratelimit-remaining')).toBe(String(5 - i));
      expect(Number(res.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(0);
      expect(Number(res.headers.get('ratelimit-reset'))).toBeLessThanOrEqual(60);
    }
    const refused = await call(a, 'GET', '/v1/taxonomy/masks', 'alice');
    expect(refused.status).toBe(429);
    expect(isErrorBody(refused.body, 429)).toBe(true);
    expect((refused.body as { error: string }).error).toBe('Too Many Requests');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('a key-specific line overrides the general one', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await call(a, 'GET', '/v1/taxonomy', 'bob')).status);
    expect(statuses).toEqual([...Array(8).fill(200), 429]);
  });

  it('never limits health or metrics', async () => {
    for (let i = 0; i < 12; i++) {
      for (const path of ['/health/live', '/metrics']) {
        const res = await call(a, 'GET', path, 'alice');
        expect(res.status).toBe(200);
        expect(res.headers.get('ratelimit-limit')).toBeNull();
      }
    }
  });

  it('a costly feature has its own exact budget, shared by two instances', async () => {
    // root: default 5, taxonomy:write 3, alternating between the two instances.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await call(i % 2 ? b : a, 'PUT', `/v1/taxonomy/masks/limit-probe-${i}`, 'admin', ITEM);
      statuses.push(res.status);
      if (res.status === 429) expect(res.headers.get('ratelimit-limit')).toBe('3');
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it('task creation is limited per type: tasks:narrative', async () => {
    const post = (base: string, type: string, input: unknown) =>
      call(base, 'POST', `/v1/tasks/${type}`, 'none', { input }, as('carol'));
    const statuses = [];
    for (const base of [a, b, a]) statuses.push((await post(base, 'narrative', NARRATIVE_INPUT)).status);
    expect(statuses).toEqual([202, 202, 429]);
    expect((await post(b, 'narrative', NARRATIVE_INPUT)).headers.get('ratelimit-limit')).toBe('2');
    // Another type does not share narrative's budget (job-search has no limit of its own here).
    expect((await post(b, 'job-search', { query: 'nurse' })).status).toBe(202);
  });

  it('a budget comes back once its window has slid past, and not before', async () => {
    const get = () => call(a, 'GET', '/v1/taxonomy/epochs', 'none', undefined, as('dave'));
    const started = Date.now();
    const first = [];
    for (let i = 0; i < 4; i++) first.push((await get()).status);
    expect(first).toEqual([200, 200, 200, 429]);
    // Asked again until admitted (a refused request spends nothing): the window is 1 s, and its first
    // request was made after `started`.
    await eventually(async () => expect((await get()).status).toBe(200), 5_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('two instances share one default budget: a burst over both admits about the limit', async () => {
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(i % 2 ? b : a, 'GET', '/v1/taxonomy', 'none', undefined, as('frank')),
      ),
    );
    const admitted = burst.filter((r) => r.status === 200).length;
    // Each instance may admit its share (limit / 2) before asking Redis: see docs/security.md.
    expect(admitted).toBeGreaterThanOrEqual(10);
    expect(admitted).toBeLessThanOrEqual(15);
    // Once both instances have pushed what they admitted (RATE_LIMIT_SYNC_MS), both refuse.
    await eventually(async () => expect(await sharedCount('frank')).toBe(admitted), 5_000);
    for (const base of [a, b]) {
      expect((await call(base, 'GET', '/v1/taxonomy', 'none', undefined, as('frank'))).status).toBe(429);
    }
  });

  it('falls back to per-instance memory windows when Redis dies: never unlimited, never everyone refused', async () => {
    const erin = () => call(a, 'GET', '/v1/taxonomy/masks', 'none', undefined, as('erin'));
    expect((await erin()).status).toBe(200);
    expect((await erin()).status).toBe(200);
    await redis.kill();
    // Spent before the outage and still refused; a fresh budget continues where it was.
    expect((await call(a, 'GET', '/v1/taxonomy/masks', 'alice')).status).toBe(429);
    const during = [];
    for (let i = 0; i < 4; i++) during.push((await erin()).status);
    expect(during).toEqual([200, 200, 200, 429]);
    const refused = await erin();
    expect(refused.headers.get('ratelimit-limit')).toBe('5');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await redis.restart();
    // Back to Redis: the shared window (which lost its data with the restart) counts again.
    await eventually(async () => {
      expect((await call(a, 'GET', '/v1/taxonomy/masks', 'none', undefined, as('carol'))).status).toBe(200);
      expect(await redis.withClient((c) => c.exists('strata:ratelimit:default:carol'))).toBe(1);
    }, 5_000);
  });
});
