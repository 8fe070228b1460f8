import type { RateLimiterOptions } from 'bullmq';

/** BullMQ's queue rate limiter for `max` jobs a minute, kept in Redis and so shared by every worker. */
export function perMinute(max: number | undefined): RateLimiterOptions | undefined {
  return max ? { max, duration: 60_000 } : undefined;
}
