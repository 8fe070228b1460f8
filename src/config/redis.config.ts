import { defineConfigSection, intFrom, redisUrl } from './config-section.js';

export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

export const redisConfig = defineConfigSection(
  {
    REDIS_URL: redisUrl(),
    QUEUE_REDIS_URL: redisUrl(),
    REDIS_COMMAND_TIMEOUT_MS: intFrom(50, 10_000, 500),
    REDIS_CONNECT_TIMEOUT_MS: intFrom(100, 30_000, 2_000),
  },
  (v) => ({
    cacheUrl: v.REDIS_URL ?? LOCAL_REDIS_URL,
    queueUrl: v.QUEUE_REDIS_URL ?? v.REDIS_URL ?? LOCAL_REDIS_URL,
    /** No Redis was configured: `npm start` may start a private redis-server (see local-redis.ts). */
    autoStart: v.REDIS_URL === undefined && v.QUEUE_REDIS_URL === undefined,
    /** Bound on every command from a fail-fast (cache, producer) connection. */
    commandTimeoutMs: v.REDIS_COMMAND_TIMEOUT_MS,
    connectTimeoutMs: v.REDIS_CONNECT_TIMEOUT_MS,
  }),
);
