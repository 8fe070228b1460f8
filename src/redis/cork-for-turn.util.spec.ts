import { setImmediate as nextTurn } from 'node:timers/promises';
import { type Cluster, Redis } from 'ioredis';
import { TestRedisCluster } from '../../test/support/redis-cluster.js';
import { TestRedis } from '../../test/support/redis-server.js';
import { corkForTurn } from './cork-for-turn.util.js';

/** How many reads Redis has made from its clients' sockets (INFO stats, Redis 6+). */
async function readsProcessed(observer: Redis): Promise<number> {
  const info = await observer.info('stats');
  return Number(/total_reads_processed:(\d+)/.exec(info)![1]);
}

describe('corkForTurn (real redis-server)', () => {
  let redis: TestRedis;
  let client: Redis;
  let observer: Redis;

  beforeAll(async () => {
    redis = await TestRedis.start();
    client = redis.client();
    observer = redis.client();
    await Promise.all([client.ping(), observer.ping()]);
  });

  afterAll(async () => {
    client.disconnect();
    observer.disconnect();
    await redis.stop();
  });

  it('sends the commands of one turn in one write, and every reply still reaches its caller', async () => {
    const before = await readsProcessed(observer);
    corkForTurn(client);
    corkForTurn(client); // a second request in the same turn: still one cork
    expect(client.stream.writableCorked).toBe(1);
    const replies = Promise.all(Array.from({ length: 50 }, (_, i) => client.set(`k${i}`, `v${i}`)));
    expect(client.stream.writableCorked).toBe(1);
    await replies;
    const after = await readsProcessed(observer);
    // One read for the corked batch, one for the observer's INFO itself.
    expect(after - before).toBeLessThanOrEqual(2);
    expect(await client.mget('k0', 'k49')).toEqual(['v0', 'v49']);
  });

  it('holds nothing past the turn: the stream is uncorked and later commands go out at once', async () => {
    corkForTurn(client);
    await nextTurn();
    expect(client.stream.writableCorked).toBe(0);
    const before = await readsProcessed(observer);
    for (let i = 0; i < 5; i++) await client.set(`late${i}`, 'x');
    const after = await readsProcessed(observer);
    // Five commands, each awaited: five reads (plus the INFO).
    expect(after - before).toBeGreaterThanOrEqual(5);
  });
});

describe('corkForTurn on a Redis Cluster (real redis-servers)', () => {
  let cluster: TestRedisCluster;
  let client: Cluster;
  let observers: Redis[];

  beforeAll(async () => {
    cluster = await TestRedisCluster.start({ masters: 3, replicasPerMaster: 0 });
    client = cluster.client();
    await client.ping();
    observers = (await cluster.masterPorts()).map((port) => new Redis({ host: '127.0.0.1', port }));
  });

  afterAll(async () => {
    client.disconnect();
    for (const o of observers) o.disconnect();
    await cluster.stop();
  });

  it("sends one turn's commands to each master in one write, whichever masters they go to", async () => {
    // Keys on every master, and a socket to each one open before the turn starts.
    const keys = Array.from({ length: 60 }, (_, i) => `{tag${i}}:k`);
    await Promise.all(keys.map((k) => client.set(k, 'warm')));
    const before = await Promise.all(observers.map(readsProcessed));
    corkForTurn(client);
    corkForTurn(client);
    for (const node of client.nodes('master')) expect(node.stream.writableCorked).toBe(1);
    await Promise.all(keys.map((k, i) => client.set(k, `v${i}`)));
    const after = await Promise.all(observers.map(readsProcessed));
    // Per master: one read for the corked batch, one for the first INFO's own.
    after.forEach((reads, i) => expect(reads - before[i]).toBeLessThanOrEqual(2));
    expect(await client.get('{tag59}:k')).toBe('v59');
    for (const node of client.nodes('master')) expect(node.stream.writableCorked).toBe(0);
  });
});
