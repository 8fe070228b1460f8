import { Redis } from 'ioredis';
import { eventually } from '../../test/support/eventually.js';
import { TestRedis } from '../../test/support/redis-server.js';
import { ExactBudgets } from './exact-budgets.js';
import type { RateDecision } from './rate-decision.js';
import type { RateLimitRule } from '../config/rate-limit-rules.js';
import { RateLimitRedis } from './rate-limit-redis.js';

// The clock is the `now` every call is given (the Lua script trusts it too), so time is ours to set:
// no sleeps, and every boundary is checked to the millisecond.
const T = 1_000_000;
const rule: RateLimitRule = { feature: 'tasks:pdf', limit: 3, windowMs: 1_000 };

describe('ExactBudgets (real redis-server, caller-given clock)', () => {
  let redis: TestRedis;
  const clients: Redis[] = [];

  /** One instance of the service: its own connection, as the fail-fast cache client is configured. */
  async function instance(): Promise<{ budgets: ExactBudgets; client: Redis }> {
    const client = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    clients.push(client);
    await eventually(() => expect(client.status).toBe('ready'), 5_000);
    return { budgets: new ExactBudgets(new RateLimitRedis(client, 1_000, 1_500)), client };
  }

  beforeAll(async () => {
    redis = await TestRedis.start();
  });
  afterEach(async () => {
    if (!redis.running) await redis.restart();
    // Reconnected clients close cleanly; a disconnect on a dead socket leaves a timer behind.
    for (const client of clients.splice(0)) {
      await eventually(() => expect(client.status).toBe('ready'), 5_000);
      await client.quit();
    }
    await redis.withClient((c) => c.flushall());
  });
  afterAll(() => redis.stop());

  it('admits the limit, refuses until the oldest request leaves the window, then admits again', async () => {
    const { budgets } = await instance();
    const check = (now: number) => budgets.check('alice', rule, now) as Promise<RateDecision>;
    expect(await check(T)).toEqual({ allowed: true, limit: 3, remaining: 2, resetAt: T + 1_000 });
    expect(await check(T + 100)).toMatchObject({ allowed: true, remaining: 1, resetAt: T + 1_000 });
    expect(await check(T + 200)).toMatchObject({ allowed: true, remaining: 0, resetAt: T + 1_000 });
    expect(await check(T + 300)).toEqual({ allowed: false, limit: 3, remaining: 0, resetAt: T + 1_000 });
    expect(await check(T + 999)).toMatchObject({ allowed: false, resetAt: T + 1_000 });
    // The window is (now − 1000, now]: at T + 1000 the request of T is out, and only that one.
    expect(await check(T + 1_000)).toMatchObject({ allowed: true, remaining: 0, resetAt: T + 1_100 });
    expect(await check(T + 1_001)).toMatchObject({ allowed: false, resetAt: T + 1_100 });
    // Budgets are per key.
    expect(await budgets.check('bob', rule, T + 1_001)).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('is one budget for every instance sharing the Redis', async () => {
    const a = await instance();
    const b = await instance();
    expect(await a.budgets.check('alice', rule, T)).toMatchObject({ allowed: true, remaining: 2 });
    expect(await b.budgets.check('alice', rule, T + 1)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await a.budgets.check('alice', rule, T + 2)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await b.budgets.check('alice', rule, T + 3)).toMatchObject({ allowed: false, resetAt: T + 1_000 });
  });

  it('with Redis gone, answers at once from memory, which already counts what Redis admitted', async () => {
    const { budgets, client } = await instance();
    for (const t of [T, T + 100]) await budgets.check('alice', rule, t);
    await redis.kill();
    await eventually(() => expect(client.status).not.toBe('ready'), 5_000);

    // Synchronous: no request waits on a dead Redis.
    const third = budgets.check('alice', rule, T + 200);
    expect(third).not.toBeInstanceOf(Promise);
    expect(third).toMatchObject({ allowed: true, remaining: 0 });
    expect(budgets.check('alice', rule, T + 300)).toMatchObject({ allowed: false, remaining: 0 });
  });
});
