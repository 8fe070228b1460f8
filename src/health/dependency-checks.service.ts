import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { ResilientCache } from '../cache/resilient-cache.service.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { RedisHealthIndicator } from './redis.health.js';

/** The one list of dependencies every health endpoint reports: redis-cache, redis-queue, database. */
@Injectable()
export class DependencyChecks {
  constructor(
    private readonly redis: RedisHealthIndicator,
    private readonly database: DatabaseHealthIndicator,
    private readonly cache: ResilientCache,
  ) {}

  /** Runs every indicator in parallel; each is bounded by its own timeout, so this never hangs. */
  async all(): Promise<HealthIndicatorResult> {
    const [cache, queue, database] = await Promise.all([
      this.redis.isCacheHealthy(),
      this.redis.isQueueHealthy(),
      this.database.isHealthy(),
    ]);
    // Whether reads are served by the two tiers or by the in-memory fallback, at a glance.
    Object.assign(cache['redis-cache'], { cache: this.cache.degraded ? 'memory-fallback' : 'redis' });
    return { ...cache, ...queue, ...database };
  }
}
