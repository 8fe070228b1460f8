import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { ResilientCache } from '../cache/resilient-cache.service.js';
import { MetricsRegistry } from './metrics.registry.js';

/**
 * Cache series, read from `ResilientCache.stats` at scrape time, so the cache's hot path gains no
 * metrics call. The counters mirror the cache's own monotonic counts (reset, then set to the count:
 * prom-client counters have no `set`).
 */
@Injectable()
export class CacheMetricsCollector {
  constructor(metrics: MetricsRegistry, cache: ResilientCache) {
    const registers = [metrics.registry];
    new Counter({
      name: 'strata_cache_lookups_total',
      help: 'Cache lookups by tier (memory, redis) and result (hit, miss)',
      labelNames: ['tier', 'result'],
      registers,
      collect() {
        this.reset();
        for (const tier of ['memory', 'redis'] as const) {
          this.inc({ tier, result: 'hit' }, cache.stats.hits[tier]);
          this.inc({ tier, result: 'miss' }, cache.stats.misses[tier]);
        }
      },
    });
    new Counter({
      name: 'strata_cache_redis_errors_total',
      help: 'Cache calls to Redis that failed or timed out (each one counts toward opening the breaker)',
      registers,
      collect() {
        this.reset();
        this.inc(cache.stats.redisErrors);
      },
    });
    new Gauge({
      name: 'strata_cache_fallback_active',
      help: '1 while the cache Redis is bypassed and the memory tier alone serves (short fallback TTL)',
      registers,
      collect() {
        this.set(cache.degraded ? 1 : 0);
      },
    });
  }
}
