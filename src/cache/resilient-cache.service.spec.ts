import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { eventually } from '../../test/support/eventually.js';
import { TestRedis } from '../../test/support/redis-server.js';
import { testConfig } from '../../test/support/test-env.js';
import { ConfigModule } from '../config/config.module.js';
import { freePort } from '../redis/local-redis.js';
import { RedisModule } from '../redis/redis.module.js';
import { ResilientCacheModule } from './cache.module.js';
import { ResilientCache } from './resilient-cache.service.js';

const T = Date.UTC(2030, 0, 1);
const TTL_MS = 60_000;
const FALLBACK_MS = 5_000;

/**
 * Only `Date` is faked: every age and lifetime the cache (and Keyv in front of Redis) decides on reads
 * it, while timers and sockets stay real so the real redis-server, the probe and reconnects work.
 */
function fakeDate(now: number): void {
  jest.useFakeTimers({
    now,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}
const at = (ms: number) => jest.setSystemTime(T + ms);

describe('ResilientCache (real redis-server, fake Date)', () => {
  let redis: TestRedis;
  let app: INestApplicationContext;
  let cache: ResilientCache;

  beforeAll(async () => {
    redis = await TestRedis.start();
    const config = testConfig(redis.url, {
      CACHE_TTL_SECONDS: String(TTL_MS / 1000),
      CACHE_TTL_JITTER_PERCENT: '0',
      CACHE_FALLBACK_TTL_SECONDS: String(FALLBACK_MS / 1000),
      CACHE_BREAKER_PROBE_MS: '50',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), RedisModule, ResilientCacheModule],
    }).compile();
    app = await moduleRef.init();
    cache = app.get(ResilientCache);
    // What the owning modules (taxonomy, job-search) register in the app; this module has neither.
    cache.registerNamespace('taxonomy');
    cache.registerNamespace('job-search');
  });
  beforeEach(async () => {
    if (!redis.running) await redis.restart();
    await eventually(() => expect(cache.degraded).toBe(false), 10_000);
    await cache.flush();
    fakeDate(T);
  });
  afterEach(() => {
    jest.useRealTimers();
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('serves an entry from memory for its TTL, to the millisecond; then neither tier has it', async () => {
    const key = await cache.keyFor('taxonomy', 'masks');
    await cache.set(key, 'v1');
    at(TTL_MS - 1);
    expect(await cache.get(key)).toEqual({ value: 'v1', tier: 'memory' });
    // Memory's copy ends at T + TTL; Redis's (Keyv's expiry, same lifetime) one millisecond later.
    at(TTL_MS);
    expect(cache.peek(key)).toBeUndefined();
    at(TTL_MS + 1);
    expect(cache.peek(key)).toBeUndefined();
    expect(await cache.get(key)).toBeUndefined();
  });

  it('an entry with a lifetime of its own ends in both tiers then, and is never copied back into memory', async () => {
    const key = await cache.keyFor('job-search', 'q=rust');
    await cache.set(key, 'jobs', 10_000);
    at(9_999);
    expect(await cache.get(key, 10_000)).toEqual({ value: 'jobs', tier: 'memory' });
    at(10_000);
    expect(await cache.get(key, 10_000)).toEqual({ value: 'jobs', tier: 'redis' });
    // A Redis hit does not refill memory, where it could outlive the Redis entry.
    expect(await cache.get(key, 10_000)).toEqual({ value: 'jobs', tier: 'redis' });
    at(10_001);
    expect(await cache.get(key, 10_000)).toBeUndefined();
  });

  it('in fallback serves nothing older than the fallback TTL, and drops it all when Redis is back', async () => {
    const before = await cache.keyFor('taxonomy', 'epochs');
    await cache.set(before, 'from before');
    await redis.kill();
    await eventually(() => expect(cache.degraded).toBe(true), 10_000);

    at(FALLBACK_MS);
    expect(await cache.get(before)).toEqual({ value: 'from before', tier: 'memory' });
    at(FALLBACK_MS + 1);
    expect(await cache.get(before)).toBeUndefined();

    // Stored during the outage: in memory only, for the fallback TTL however long the cache TTL is.
    const during = await cache.keyFor('taxonomy', 'stages');
    at(6_000);
    await cache.set(during, 'from the outage');
    at(6_000 + FALLBACK_MS - 1);
    expect(cache.peek(during)).toBe('from the outage');
    at(6_000 + FALLBACK_MS);
    expect(cache.peek(during)).toBeUndefined();
    at(7_000);
    await cache.set(during, 'from the outage'); // good until 12 000 by its age

    await redis.restart();
    await eventually(() => expect(cache.degraded).toBe(false), 10_000);
    // What was cached during the outage lived only here: gone, so Redis refills from fresh reads.
    expect(cache.peek(during)).toBeUndefined();
    expect(await cache.get(during)).toBeUndefined();
  });
});

describe('ResilientCache start-up without Redis (fake Date)', () => {
  it('waits one second of the clock for Redis, then starts degraded instead of failing', async () => {
    const config = testConfig(`redis://127.0.0.1:${await freePort()}`, { CACHE_BREAKER_PROBE_MS: '50' });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), RedisModule, ResilientCacheModule],
    }).compile();
    fakeDate(T);
    let started = false;
    const init = moduleRef.init().then((app) => {
      started = true;
      return app;
    });
    try {
      // Real time passes (probes fail against the closed port), the clock does not: still waiting.
      await new Promise((r) => setTimeout(r, 300));
      at(999);
      await new Promise((r) => setTimeout(r, 100));
      expect(started).toBe(false);
      at(1_000);
      const app = await init;
      expect(app.get(ResilientCache).degraded).toBe(true);
    } finally {
      jest.useRealTimers();
      await (await init).close();
    }
  });
});
