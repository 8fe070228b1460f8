import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from '../database/database.health.js';
import { RedisHealthIndicator } from '../redis/redis.health.js';

/** The one list of dependencies every health endpoint reports: redis-cache, redis-queue, database. */
@Injectable()
export class DependencyChecks {
  constructor(
    private readonly redis: RedisHealthIndicator,
    private readonly database: DatabaseHealthIndicator,
  ) {}

  /** Runs every indicator in parallel; each is bounded by its own timeout, so this never hangs. */
  async all(): Promise<HealthIndicatorResult> {
    const results = await Promise.all([
      this.redis.isCacheHealthy(),
      this.redis.isQueueHealthy(),
      this.database.isHealthy(),
    ]);
    return Object.assign({}, ...results);
  }
}
