import { Redis } from 'ioredis';
import { eventually } from '../../test/support/eventually.js';
import { TestRedis } from '../../test/support/redis-server.js';
import type { MaybePromise, RateDecision } from './rate-decision.js';
import type { RateLimitRule } from '../config/rate-limit-rules.js';
import { RateLimitRedis } from './rate-limit-redis.js';
import { SyncedBudgets } from './synced-budgets.js';

// The clock is the `now` every call is given (the Lua script trusts it too): no sleeps, exact boundaries.
const T = 5_000_000;
const WINDOW = 60_000;
const HEARTBEAT_TTL = 1_500;
const rule: RateLimitRule = { feature: 'default', limit: 10, windowMs: WINDOW };

/** Local answers come back as values, answers that needed Redis as promises: both are observable. */
const isLocal = (decision: MaybePromise<RateDecision>): decision is RateDecision =>
  !(decision instanceof Promise);

describe('SyncedBudgets (real redis-server, caller-given clock)', () => {
  let redis: TestRedis;
  let observer: Redis;
  const clients: Redis[] = [];

  async function instance(): Promise<SyncedBudgets> {
    const client = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    clients.push(client);
    await eventually(() => expect(client.status).toBe('ready'), 5_000);
    return new SyncedBudgets(new RateLimitRedis(client, 1_000, HEARTBEAT_TTL));
  }

  /** What Redis holds for alice: the sum of the weighted members pushed so far. */
  async function sharedCount(): Promise<number> {
    const members = await observer.zrange('strata:ratelimit:default:alice', '0', '-1');
    return members.reduce<number>((sum, m) => sum + Number(m.split(':')[0]), 0);
  }

  beforeAll(async () => {
    redis = await TestRedis.start();
    observer = redis.client();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.quit();
    await observer.flushall();
  });
  afterAll(async () => {
    observer.disconnect();
    await redis.stop();
  });

  it('alone, admits the whole limit without a round trip, pushes it on flush, then refuses', async () => {
    const budgets = await instance();
    await budgets.flush(T); // the heartbeat at start
    const decisions = Array.from({ length: 10 }, (_, i) => budgets.check('alice', rule, T + i));
    expect(decisions.every(isLocal)).toBe(true);
    expect(decisions.map((d) => (d as RateDecision).remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(await sharedCount()).toBe(0);

    await budgets.flush(T + 20);
    expect(await sharedCount()).toBe(10);
    // Full as of that count: refused without asking, until the pushed entries leave the window.
    const refused = budgets.check('alice', rule, T + 21);
    expect(refused).toEqual({ allowed: false, limit: 10, remaining: 0, resetAt: T + 20 + WINDOW });
    expect(budgets.check('alice', rule, T + 20 + WINDOW - 1)).toMatchObject({ allowed: false });
  });

  it('refills when the window has slid past the pushed entries, asking Redis exactly then', async () => {
    const budgets = await instance();
    await budgets.flush(T);
    for (let i = 0; i < 10; i++) budgets.check('alice', rule, T);
    await budgets.flush(T);
    const at = T + WINDOW;
    const refill = budgets.check('alice', rule, at);
    expect(isLocal(refill)).toBe(false);
    expect(await refill).toEqual({ allowed: true, limit: 10, remaining: 9, resetAt: at + WINDOW });
    // The shared count is back in hand: the next nine are local again.
    expect(budgets.check('alice', rule, at + 1)).toMatchObject({ allowed: true, remaining: 8 });
  });

  it('shares what is left between live instances, and gives it back when one stops beating', async () => {
    const a = await instance();
    const b = await instance();
    await a.flush(T);
    await b.flush(T + 1);
    await a.flush(T + 2); // a now knows of b
    // Each instance's share is ⌊10 / 2⌋: five local answers, then a round trip.
    const fromA = Array.from({ length: 6 }, (_, i) => a.check('alice', rule, T + 10 + i));
    expect(fromA.map(isLocal)).toEqual([true, true, true, true, true, false]);
    expect(await fromA[5]).toMatchObject({ allowed: true });
    expect(await sharedCount()).toBe(6);

    // b last beat at T + 1; until T + 1 + the heartbeat TTL it still holds half of what is left.
    await a.flush(T + HEARTBEAT_TTL);
    expect(isLocal(a.check('alice', rule, T + HEARTBEAT_TTL))).toBe(true); // 0 < ⌊(10 − 6) / 2⌋
    expect(isLocal(a.check('alice', rule, T + HEARTBEAT_TTL))).toBe(true); // 1 < 2
    const third = a.check('alice', rule, T + HEARTBEAT_TTL);
    expect(isLocal(third)).toBe(false);
    expect(await third).toMatchObject({ allowed: true, remaining: 1 });
    await a.flush(T + HEARTBEAT_TTL + 1); // b is gone: a's share is all that is left
    expect(a.check('alice', rule, T + HEARTBEAT_TTL + 2)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('after a burst on two instances, overshoots by at most one share, then refuses everywhere', async () => {
    const a = await instance();
    const b = await instance();
    await a.flush(T);
    await b.flush(T);
    await a.flush(T);
    const burst = [
      ...Array.from({ length: 5 }, () => a.check('alice', rule, T + 1)),
      ...Array.from({ length: 5 }, () => b.check('alice', rule, T + 1)),
    ];
    expect(burst.every((d) => isLocal(d) && d.allowed)).toBe(true);
    await a.flush(T + 2); // pushes a's 5 and reads 5
    await b.flush(T + 3); // pushes b's 5 and reads 10
    expect(await sharedCount()).toBe(10);
    // b read the full count: it refuses without asking until a's push leaves the window.
    expect(b.check('alice', rule, T + 4)).toEqual({
      allowed: false,
      limit: 10,
      remaining: 0,
      resetAt: T + 2 + WINDOW,
    });
    // a last read 5 (a heartbeat with nothing to push reads no totals back), so it still has its share
    // ⌊(10 − 5) / 2⌋ = 2 of that: the documented overshoot (docs/security.md), no more.
    expect(a.check('alice', rule, T + 4)).toMatchObject({ allowed: true });
    expect(a.check('alice', rule, T + 4)).toMatchObject({ allowed: true });
    const past = a.check('alice', rule, T + 4);
    expect(isLocal(past)).toBe(false);
    expect(await past).toMatchObject({ allowed: false, remaining: 0 });
    expect(await sharedCount()).toBe(12);
    expect(a.check('alice', rule, T + 5)).toMatchObject({ allowed: false, resetAt: T + 2 + WINDOW });
  });
});
