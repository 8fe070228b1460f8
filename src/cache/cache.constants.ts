/** The Keyv namespace: every cache key in Redis starts with `strata:cache:`, and nothing else does. */
export const CACHE_KEY_NAMESPACE = 'strata:cache';
/** Pub/sub channel on which instances tell each other that a namespace changed. */
export const CACHE_INVALIDATION_CHANNEL = 'strata:cache:invalidate';
/** Logical namespaces of cached data; flushing one leaves the others (and all non-cache keys) alone. */
export const CACHE_NAMESPACES = ['taxonomy', 'job-search'] as const;
export type CacheNamespace = (typeof CACHE_NAMESPACES)[number];
