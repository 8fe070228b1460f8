/** Long-lived fail-fast connection to the cache Redis (`REDIS_URL`). */
export const CACHE_REDIS = Symbol('CACHE_REDIS');
/** Long-lived fail-fast connection to the queue Redis (`QUEUE_REDIS_URL`), for producers and health. */
export const QUEUE_REDIS = Symbol('QUEUE_REDIS');

/**
 * - `cache`, `queue`: fail fast. No offline queue and a command timeout, so no request waits on a dead Redis.
 * - `queue-worker`: what BullMQ workers require: commands wait and retry forever (`maxRetriesPerRequest: null`).
 * - `subscriber`: pub/sub; reconnects forever and resubscribes by itself.
 */
export type RedisRole = 'cache' | 'queue' | 'queue-worker' | 'subscriber';
