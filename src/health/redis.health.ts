import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { RedisClient } from '../redis/redis-client.js';
import { CACHE_REDIS, QUEUE_REDIS } from '../redis/redis.constants.js';
import { HEALTH_TIMEOUT_MS } from './health.constants.js';

/** PINGs the long-lived clients; a disconnected client answers `down` at once instead of waiting. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(CACHE_REDIS) private readonly cache: RedisClient,
    @Inject(QUEUE_REDIS) private readonly queue: RedisClient,
  ) {}

  isCacheHealthy() {
    return this.ping('redis-cache', this.cache);
  }

  isQueueHealthy() {
    return this.ping('redis-queue', this.queue);
  }

  private ping<const Key extends string>(key: Key, client: RedisClient) {
    return this.health
      .check(key)
      .attempt(async () => {
        if (client.status !== 'ready') throw new Error(`connection ${client.status}`);
        await client.ping();
      })
      .withTimeout(HEALTH_TIMEOUT_MS);
  }
}
