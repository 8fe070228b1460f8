/** Where a cached value was found. */
export type CacheTier = 'memory' | 'redis';

/** Counters for /health and /metrics: lookups by tier and result, and Redis errors. */
export class CacheStats {
  readonly hits: Record<CacheTier, number> = { memory: 0, redis: 0 };
  readonly misses: Record<CacheTier, number> = { memory: 0, redis: 0 };
  redisErrors = 0;

  hit(tier: CacheTier): void {
    this.hits[tier]++;
  }

  miss(tier: CacheTier): void {
    this.misses[tier]++;
  }

  redisError(): void {
    this.redisErrors++;
  }
}
