/** The Keyv namespace: every cache key in Redis starts with `strata:cache:`, and nothing else does. */
export const CACHE_KEY_NAMESPACE = 'strata:cache';
/** Pub/sub channel on which instances tell each other that a namespace changed. */
export const CACHE_INVALIDATION_CHANNEL = 'strata:cache:invalidate';
/**
 * A logical namespace of cached data (`taxonomy`, `job-search`, an extension's own); flushing one leaves
 * the others (and all non-cache keys) alone. The module that owns one registers it (CacheNamespaces).
 */
export type CacheNamespace = string;
/** What a namespace's name may be: it is a segment of Redis keys and of the invalidation messages. */
export const CACHE_NAMESPACE_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;
