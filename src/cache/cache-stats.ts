import type { CacheTier } from './resilient-cache.service.js';

/** Counters for /health and (later) /metrics: lookups by tier and result, and Redis errors. */
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
