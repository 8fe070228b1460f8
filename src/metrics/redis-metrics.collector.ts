import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { isCluster, type RedisClient } from '../redis/redis-client.js';
import { CACHE_REDIS, QUEUE_REDIS } from '../redis/redis.constants.js';
import { SCRAPE_CACHE_MS, SCRAPE_TIMEOUT_MS } from './metrics.constants.js';
import { MetricsRegistry } from './metrics.registry.js';
import { parseRedisInfo, type RedisInfo } from './redis-info.util.js';
import { ScrapeCache } from './scrape-cache.util.js';

type Role = 'cache' | 'queue';
/** One server's INFO; `node` (host:port) only on a Redis Cluster, where each master reports its own. */
interface NodeInfo {
  node?: string;
  info?: RedisInfo;
}

/**
 * `strata_redis_*{role}` from `INFO` on the long-lived fail-fast clients, one read per role and second.
 * A client that is not connected answers `up 0` at once, without a command; the other gauges are then
 * left out rather than reported stale. Connection errors are counted as the client reports them.
 * On a Redis Cluster every master is read and reported with a `node` label (memory is per master: one
 * full master stops its slots' writes whatever the others hold).
 */
@Injectable()
export class RedisMetricsCollector {
  private readonly infos: Record<Role, ScrapeCache<NodeInfo[]>>;
  private readonly registry: MetricsRegistry['registry'];

  constructor(
    metrics: MetricsRegistry,
    @Inject(CACHE_REDIS) cache: RedisClient,
    @Inject(QUEUE_REDIS) queue: RedisClient,
  ) {
    const clients: Record<Role, RedisClient> = { cache, queue };
    const read = (client: RedisClient) => async (): Promise<NodeInfo[]> => {
      if (client.status !== 'ready') throw new Error(`connection ${client.status}`);
      if (!isCluster(client)) return [{ info: parseRedisInfo(await client.info()) }];
      return Promise.all(
        client.nodes('master').map(async (master) => ({
          node: `${master.options.host}:${master.options.port}`,
          info: await master.info().then(parseRedisInfo, () => undefined),
        })),
      );
    };
    this.infos = {
      cache: new ScrapeCache(read(cache), SCRAPE_CACHE_MS, SCRAPE_TIMEOUT_MS),
      queue: new ScrapeCache(read(queue), SCRAPE_CACHE_MS, SCRAPE_TIMEOUT_MS),
    };
    const registers = [metrics.registry];
    this.registry = metrics.registry;
    const errors = new Counter({
      name: 'strata_redis_connection_errors_total',
      help: 'Connection errors reported by the long-lived client of each Redis role (one per failed attempt)',
      labelNames: ['role'],
      registers,
    });
    for (const [role, client] of Object.entries(clients) as [Role, RedisClient][]) {
      errors.inc({ role }, 0);
      client.on('error', () => errors.inc({ role }));
    }
    this.gauge(
      'strata_redis_up',
      '1 when the Redis of this role answered INFO within the scrape timeout',
      () => 1,
      0,
    );
    this.gauge('strata_redis_used_memory_bytes', 'INFO used_memory', (i) => num(i.used_memory));
    this.gauge('strata_redis_maxmemory_bytes', 'INFO maxmemory (0: no limit)', (i) => num(i.maxmemory));
    this.gauge('strata_redis_connected_clients', 'INFO connected_clients', (i) => num(i.connected_clients));
  }

  /** `whenDown`: the value reported when INFO could not be read; absent means the series is left out. */
  private gauge(
    name: string,
    help: string,
    pick: (info: RedisInfo) => number | undefined,
    whenDown?: number,
  ) {
    const infos = this.infos;
    new Gauge({
      name,
      help,
      labelNames: ['role', 'node'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const role of ['cache', 'queue'] as const) {
          for (const { node, info } of (await infos[role].get()) ?? [{}]) {
            const value = info ? pick(info) : whenDown;
            if (value !== undefined) this.set(node ? { role, node } : { role }, value);
          }
        }
      },
    });
  }
}

function num(value: string | undefined): number | undefined {
  const n = Number(value);
  return value === undefined || !Number.isFinite(n) ? undefined : n;
}
