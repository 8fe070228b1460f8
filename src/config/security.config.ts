import { z } from 'zod';
import { DEFAULT_RATE_LIMITS, parseRateLimits, type RateLimitRule } from './rate-limit-rules.js';
import { booleanFlag, defineConfigSection, intFrom, optionalString, stringList } from './config-section.js';

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

export const securityConfig = defineConfigSection(
  {
    RATE_LIMITS_ENABLED: booleanFlag(true),
    RATE_LIMITS: optionalString().transform((raw, ctx): RateLimitRule[] => {
      const { rules, problems } = parseRateLimits(raw ?? DEFAULT_RATE_LIMITS);
      for (const message of problems) ctx.addIssue({ code: 'custom', message });
      return rules;
    }),
    RATE_LIMIT_SYNC_MS: intFrom(50, 5_000, 500),
    RATE_LIMIT_REDIS_TIMEOUT_MS: intFrom(5, 5_000, 100),
    CORS_ORIGINS: stringList(z.string().regex(ORIGIN, 'each origin must look like https://app.example.com')),
    SSE_MAX_PER_KEY: intFrom(1, 10_000, 5),
    TASK_INPUT_MAX_BYTES: intFrom(1_024, 16 * 1024 * 1024, 256 * 1024),
  },
  (v) => ({
    /** false: nothing is counted or limited (benchmarks, debugging); never in production by default. */
    rateLimitsEnabled: v.RATE_LIMITS_ENABLED,
    rateLimits: v.RATE_LIMITS,
    /** How often each instance pushes its local `default` counts to Redis and reads the shared ones. */
    rateLimitSyncMs: v.RATE_LIMIT_SYNC_MS,
    /** A limiter call to Redis slower than this counts as an outage: the request is counted in memory. */
    rateLimitRedisTimeoutMs: v.RATE_LIMIT_REDIS_TIMEOUT_MS,
    /** Unset: no CORS headers at all, so browsers on other origins cannot read responses. */
    corsOrigins: v.CORS_ORIGINS ?? [],
    /** Open task event streams per API key per instance; one more answers 429. */
    sseMaxPerKey: v.SSE_MAX_PER_KEY,
    /** A task's `input` larger than this as JSON answers 413 (BullMQ keeps it in Redis). */
    taskInputMaxBytes: v.TASK_INPUT_MAX_BYTES,
  }),
);
