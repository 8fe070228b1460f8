import { defaultDeserialize, defaultSerialize } from '@keyv/serialize';
import { Keyv, type DeserializedData } from 'keyv';
import type { RedisClient } from '../redis/redis-client.js';
import { RedisKeyvStore } from '../redis/redis-keyv.store.js';
import { CACHE_KEY_NAMESPACE } from './cache.constants.js';

/**
 * The Redis tier: cache-manager 7 over a Keyv store on the cache connection (`CACHE_REDIS`), so it
 * follows the configured topology (standalone, Sentinel, Cluster) with the same TLS, timeouts and
 * backoff as every other client. The namespace keeps `clear()` to `strata:cache:*`, never BullMQ's
 * or anyone else's keys. The connection fails fast (no offline queue, a command timeout); the resilient
 * cache adds a per-call timeout and a circuit breaker on top, and sees every error (`throwOnErrors`).
 */
export function createRedisCacheStore(client: RedisClient): Keyv {
  const keyv = new Keyv({
    store: new RedisKeyvStore(client),
    namespace: CACHE_KEY_NAMESPACE,
    useKeyPrefix: false,
    throwOnErrors: true,
  });
  // Errors are counted by the circuit breaker from the rejected calls; the event would only add noise.
  keyv.on('error', () => undefined);
  keyv.serialize = serializeEntry;
  keyv.deserialize = deserializeEntry;
  return keyv;
}

/** Marks a string stored as itself after one line of metadata, as opposed to Keyv's JSON envelope. */
const PLAIN = '\u0001';

/**
 * Keyv stores `{ value, expires }` as JSON. Every entry here is a string (an answer body with its ETag,
 * kilobytes long), so reading one back was a JSON.parse of the whole body, then a copy: a seventh of a
 * Redis-tier hit's time. A string is stored as `\u0001<expires>\n<value>` instead, and read back with a
 * slice; anything else (and an entry written before this format) is Keyv's JSON, as before.
 */
function serializeEntry<Value>(data: DeserializedData<Value>): string {
  if (typeof data.value !== 'string') return defaultSerialize(data);
  return `${PLAIN}${data.expires ?? ''}\n${data.value}`;
}

function deserializeEntry<Value>(data: string): DeserializedData<Value> | undefined {
  if (!data.startsWith(PLAIN)) return defaultDeserialize(data);
  const cut = data.indexOf('\n');
  const expires = cut > 1 ? Number(data.slice(1, cut)) : undefined;
  return { value: data.slice(cut + 1) as Value, expires };
}
