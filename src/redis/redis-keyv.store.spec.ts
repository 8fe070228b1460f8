import { Keyv } from 'keyv';
import { Redis } from 'ioredis';
import { TestRedis } from '../../test/support/redis-server.js';
import { RedisKeyvStore } from './redis-keyv.store.js';

describe('RedisKeyvStore (real redis-server)', () => {
  let redis: TestRedis;
  let client: Redis;
  let keyv: Keyv<string>;

  beforeAll(async () => {
    redis = await TestRedis.start();
    client = redis.client();
    keyv = new Keyv<string>({
      store: new RedisKeyvStore(client),
      namespace: 'app:cache',
      useKeyPrefix: false,
      throwOnErrors: true,
    });
  });
  afterAll(async () => {
    await keyv.disconnect();
    // disconnect() left the shared client open: it still answers.
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
    await redis.stop();
  });
  beforeEach(() => client.flushdb());

  it('stores under <namespace>:<key>, as @keyv/redis did, with the TTL in milliseconds', async () => {
    await keyv.set('a', 'one', 60_000);
    expect(await keyv.get('a')).toBe('one');
    expect(await client.exists('app:cache:a')).toBe(1);
    const pttl = await client.pttl('app:cache:a');
    expect(pttl).toBeGreaterThan(55_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
    await keyv.set('forever', 'x');
    expect(await client.pttl('app:cache:forever')).toBe(-1);
  });

  it('reads a miss as undefined and deletes one key', async () => {
    expect(await keyv.get('nothing')).toBeUndefined();
    await keyv.set('b', 'two');
    expect(await keyv.delete('b')).toBe(true);
    expect(await keyv.delete('b')).toBe(false);
    expect(await keyv.get('b')).toBeUndefined();
  });

  it('clears its namespace only: queue keys and other namespaces survive', async () => {
    for (let i = 0; i < 1_200; i++) await client.set(`app:cache:k${i}`, 'v');
    await client.set('strata:narrative:1', 'job');
    await client.set('app:cache-other:k', 'v');
    await keyv.clear();
    expect(await client.keys('app:cache:*')).toEqual([]);
    expect(await client.get('strata:narrative:1')).toBe('job');
    expect(await client.get('app:cache-other:k')).toBe('v');
  });

  it('makes a Redis error the caller’s to see (the breaker counts it), not a silent miss', async () => {
    // Never connected, no offline queue: every command fails at once.
    const dead = new Redis({
      port: redis.port,
      lazyConnect: true,
      enableOfflineQueue: false,
    });
    const failing = new Keyv<string>({
      store: new RedisKeyvStore(dead),
      namespace: 'app:cache',
      useKeyPrefix: false,
      throwOnErrors: true,
    });
    failing.on('error', () => undefined);
    await expect(failing.get('a')).rejects.toThrow();
    dead.disconnect();
  });

  it('refuses to clear without a namespace (it would delete every key)', async () => {
    const store = new RedisKeyvStore(client);
    await client.set('strata:narrative:1', 'job');
    await expect(store.clear()).rejects.toThrow('without a namespace');
    expect(await client.get('strata:narrative:1')).toBe('job');
  });
});
