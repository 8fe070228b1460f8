import type { ClusterTopology } from '../config/redis-topology.js';
import { parseRedisUrl } from '../config/redis-topology.js';
import { clusterOptionsFor, reconnectDelay, redisOptionsFor } from './redis-connection.factory.js';

const settings = { commandTimeoutMs: 500, connectTimeoutMs: 2_000 };

describe('redis connection options', () => {
  it('backs off from 50 ms to at most one attempt a second, forever', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50, 10_000].map(reconnectDelay)).toEqual([
      50, 100, 200, 400, 800, 1000, 1000, 1000, 1000,
    ]);
  });

  it('makes fail-fast roles fail fast and waiting roles wait, on every topology', () => {
    for (const url of ['redis://h', 'redis+sentinel://s:26379/m']) {
      const topology = parseRedisUrl(url);
      expect(redisOptionsFor('cache', topology, settings)).toMatchObject({
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: 500,
        retryStrategy: reconnectDelay,
      });
      expect(redisOptionsFor('queue-worker', topology, settings)).toMatchObject({
        enableOfflineQueue: true,
        maxRetriesPerRequest: null,
      });
      expect(redisOptionsFor('queue-worker', topology, settings).commandTimeout).toBeUndefined();
    }
  });

  it('reconnects on READONLY (a demoted master), resending only for waiting roles', () => {
    const readonly = new Error("READONLY You can't write against a read only replica.");
    const topology = parseRedisUrl('redis+sentinel://s:26379/m');
    const failFast = redisOptionsFor('queue', topology, settings).reconnectOnError!;
    const waiting = redisOptionsFor('queue-worker', topology, settings).reconnectOnError!;
    expect(failFast(readonly)).toBe(1);
    expect(waiting(readonly)).toBe(2);
    expect(waiting(new Error('ERR unknown command'))).toBe(false);
  });

  it('connects a standalone server with its credentials, database and TLS', () => {
    const options = redisOptionsFor(
      'queue',
      parseRedisUrl('rediss://app:pw@h:6380/3', { tls: { ca: 'PEM' } }),
      settings,
    );
    expect(options).toMatchObject({
      host: 'h',
      port: 6380,
      db: 3,
      username: 'app',
      password: 'pw',
      tls: { ca: 'PEM' },
    });
    expect(redisOptionsFor('queue', parseRedisUrl('redis://h'), settings).tls).toBeUndefined();
  });

  it('follows the master Sentinel names, hears of failovers, and never stops asking', () => {
    const options = redisOptionsFor(
      'queue',
      parseRedisUrl('rediss+sentinel://:pw@s1:1,s2:2/mymaster/2', {
        sentinelPassword: 'sp',
        tls: { ca: 'PEM' },
      }),
      settings,
    );
    expect(options).toMatchObject({
      sentinels: [
        { host: 's1', port: 1 },
        { host: 's2', port: 2 },
      ],
      name: 'mymaster',
      role: 'master',
      db: 2,
      password: 'pw',
      sentinelPassword: 'sp',
      failoverDetector: true,
      sentinelRetryStrategy: reconnectDelay,
      tls: { ca: 'PEM' },
      enableTLSForSentinelMode: true,
      sentinelTLS: { ca: 'PEM' },
    });
    expect(options.host).toBeUndefined();
    // The failover detector's sentinel connections are not retried (see the factory).
    expect(options.sentinelReconnectStrategy!(1)).toBeNull();
  });

  it('gives each cluster node the role’s behaviour and the cluster the same backoff', () => {
    const options = clusterOptionsFor(
      'queue-worker',
      parseRedisUrl('rediss+cluster://u:p@a:7000,b:7001', { tls: {} }) as ClusterTopology,
      settings,
    );
    expect(options).toMatchObject({
      enableOfflineQueue: true,
      clusterRetryStrategy: reconnectDelay,
      redisOptions: { maxRetriesPerRequest: null, username: 'u', password: 'p', tls: {} },
    });
    expect(options.redisOptions).not.toHaveProperty('db');
  });
});
