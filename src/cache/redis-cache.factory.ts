import { createKeyv } from '@keyv/redis';
import type { Keyv } from 'keyv';
import type { AppConfig } from '../config/load-config.js';
import { CACHE_KEY_NAMESPACE } from './cache.constants.js';

/**
 * The Redis tier: cache-manager 7 over a Keyv store from `@keyv/redis`. `createKeyv` gives the store a
 * namespace, so `clear()` deletes only `strata:cache:*` and never BullMQ's or anyone else's keys.
 * The client must fail fast: no offline queue (a command on a dead connection rejects at once) and a
 * short connect timeout; the resilient cache adds a per-call timeout and a circuit breaker on top.
 */
export function createRedisCacheStore(config: AppConfig): Keyv {
  const keyv = createKeyv(
    {
      url: config.redis.cacheUrl,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: config.redis.connectTimeoutMs,
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 5), 1_000),
      },
    },
    {
      namespace: CACHE_KEY_NAMESPACE,
      keyPrefixSeparator: ':',
      throwOnConnectError: false,
      throwOnErrors: true,
      useUnlink: true,
    },
  );
  // Errors are counted by the circuit breaker from the rejected calls; the event would only add noise.
  keyv.on('error', () => undefined);
  return keyv;
}
