import { z } from 'zod';
import { booleanFlag, defineConfigSection, intFrom } from './config-section.js';

export const cacheConfig = defineConfigSection(
  {
    CACHE_ENABLED: booleanFlag(true),
    CACHE_MEMORY_TIER: booleanFlag(true),
    CACHE_TTL_SECONDS: intFrom(1, 7 * 86_400, 3_600),
    CACHE_TTL_JITTER_PERCENT: intFrom(0, 50, 10),
    CACHE_FALLBACK_TTL_SECONDS: intFrom(1, 3_600, 5),
    CACHE_MEMORY_MAX_ENTRIES: intFrom(1, 1_000_000, 2_000),
    CACHE_MEMORY_MAX_BYTES: intFrom(1024, 2 ** 31 - 1, 64 * 1024 * 1024),
    CACHE_MAX_VALUE_BYTES: intFrom(1024, 64 * 1024 * 1024, 1024 * 1024),
    CACHE_REDIS_TIMEOUT_MS: intFrom(5, 5_000, 100),
    CACHE_BREAKER_FAILURES: intFrom(1, 100, 3),
    CACHE_BREAKER_PROBE_MS: intFrom(50, 60_000, 500),
    CACHE_FAST_PATH: z.enum(['on', 'off']).default('on'),
  },
  (v) => ({
    /** Off: every read goes to the database (for benchmarks and debugging). */
    enabled: v.CACHE_ENABLED,
    /** Off: the in-process tier is used only as the fallback while Redis is unavailable. */
    memoryTier: v.CACHE_MEMORY_TIER,
    ttlSeconds: v.CACHE_TTL_SECONDS,
    ttlJitterPercent: v.CACHE_TTL_JITTER_PERCENT,
    /** While Redis or the invalidation channel is down, nothing older than this is served. */
    fallbackTtlSeconds: v.CACHE_FALLBACK_TTL_SECONDS,
    memoryMaxEntries: v.CACHE_MEMORY_MAX_ENTRIES,
    memoryMaxBytes: v.CACHE_MEMORY_MAX_BYTES,
    /** Larger values are served but never cached (the ADR: no objects over 1 MB). */
    maxValueBytes: v.CACHE_MAX_VALUE_BYTES,
    redisTimeoutMs: v.CACHE_REDIS_TIMEOUT_MS,
    breakerFailures: v.CACHE_BREAKER_FAILURES,
    breakerProbeMs: v.CACHE_BREAKER_PROBE_MS,
    /**
     * Off: cache hits go through Nest like every other request, for comparison (src/edge/,
     * docs/benchmarks.md). On, the fast path still steps aside by itself when the app needs it to.
     */
    fastPath: v.CACHE_FAST_PATH === 'on',
  }),
);
