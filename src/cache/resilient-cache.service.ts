import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import type { Redis } from 'ioredis';
import type { Keyv } from 'keyv';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { CACHE_REDIS } from '../redis/redis.constants.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { CACHE_KEY_NAMESPACE, type CacheNamespace } from './cache.constants.js';
import { CacheInvalidationBus } from './cache-invalidation.bus.js';
import { CacheNamespaces, type GenerationSource } from './cache-namespaces.registry.js';
import { type CacheTier, CacheStats } from './cache-stats.js';
import { MemoryTier } from './memory-tier.js';
import { withTimeout } from '../redis/with-timeout.util.js';
import { unlinkMatching } from '../redis/cluster-keys.util.js';

const identity = (value: string): string => value;

/** The promise in flight for `key`, or a new one from `start`, kept in `pending` until it settles. */
function shared<T>(pending: Map<string, Promise<T>>, key: string, start: () => Promise<T>): Promise<T> {
  let promise = pending.get(key);
  if (!promise) {
    promise = start();
    pending.set(key, promise);
    const settled = () => pending.delete(key);
    promise.then(settled, settled);
  }
  return promise;
}

/** How long start-up waits for Redis before serving from the fallback; Redis is adopted later when it comes. */
const STARTUP_WAIT_MS = 1_000;

export interface CacheLookup {
  value: string;
  /** Where the value came from: a cache tier, or the loader (`origin`, a miss). */
  tier: CacheTier | 'origin';
}


/**
 * Two tiers, an in-process LRU in front of Redis, that never make a request wait on a dead Redis and
 * never serve data older than the last write:
 * - Keys carry their namespace's *generation* (for the taxonomy, the database version). A write moves
 *   the generation, so nothing cached before it can be read again, from either tier, even from a Redis
 *   that was down during the write and comes back with its old keys.
 * - Writers publish the new generation; every instance adopts it within milliseconds.
 * - When Redis or the invalidation channel is down, the circuit breaker keeps calls away from Redis,
 *   and the memory tier serves nothing older than `CACHE_FALLBACK_TTL_SECONDS` (the ADR's fallback).
 *   Before Redis is trusted again, every generation is re-read from its source.
 */
@Injectable()
export class ResilientCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ResilientCache.name);
  private readonly memory: MemoryTier;
  private readonly redis: Keyv;
  private readonly breaker: CircuitBreaker;
  private readonly generations = new Map<CacheNamespace, string>();
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly reading = new Map<string, Promise<string | undefined>>();
  private readonly settings: AppConfig['cache'];
  private warned = false;
  private started = false;
  private fallbackSince?: number;
  readonly stats = new CacheStats();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CACHE_MANAGER) cacheManager: Cache,
    @Inject(CACHE_REDIS) private readonly redisClient: Redis,
    private readonly bus: CacheInvalidationBus,
    private readonly namespaces: CacheNamespaces,
  ) {
    this.settings = config.cache;
    this.memory = new MemoryTier({
      maxEntries: config.cache.memoryMaxEntries,
      maxBytes: config.cache.memoryMaxBytes,
    });
    // cache-manager turns store errors into misses; the breaker must see them, so calls go to the store.
    this.redis = cacheManager.stores[0];
    this.breaker = new CircuitBreaker({
      failureThreshold: config.cache.breakerFailures,
      probeIntervalMs: config.cache.breakerProbeMs,
      probe: () => this.probe(),
      onOpen: (reason) => this.enterFallback(reason),
      onClose: () => this.leaveFallback(),
    });
    this.bus.onMessage((namespace, generation, flush) => {
      if (flush) this.memory.deletePrefix(`${namespace}:`);
      this.adopt(namespace, generation);
    });
    this.bus.onDisconnect(() => this.breaker.open('invalidation channel disconnected'));
    this.bus.onConnect(() => this.breaker.probeNow());
  }

  /** Starts on Redis when it is there: waits (briefly) for the first probe instead of serving degraded. */
  async onApplicationBootstrap(): Promise<void> {
    const deadline = Date.now() + STARTUP_WAIT_MS;
    while (this.degraded && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    this.started = true;
    if (this.degraded) this.enterFallback('not reachable at start');
  }

  async onApplicationShutdown(): Promise<void> {
    this.breaker.stop();
    await this.redis.disconnect().catch(() => undefined);
  }

  /** True while Redis is bypassed and the memory tier alone serves, with the short fallback TTL. */
  get degraded(): boolean {
    return !this.breaker.isClosed;
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  /**
   * Adds a namespace, from the module that owns it; `source` says where its generation comes from, read
   * at start and after every outage (none: generation `0` until a write moves it).
   */
  registerNamespace(namespace: CacheNamespace, source?: GenerationSource): void {
    this.namespaces.add(namespace, source);
  }

  /** The full key for `key` in `namespace` at its current generation. */
  async keyFor(namespace: CacheNamespace, key: string): Promise<string> {
    let generation = this.generations.get(namespace);
    if (generation === undefined) {
      if (!this.namespaces.has(namespace)) throw new Error(`cache namespace "${namespace}" is not registered`);
      const source = this.namespaces.sourceOf(namespace);
      generation = source ? await source() : '0';
      if (!this.generations.has(namespace)) this.generations.set(namespace, generation);
      generation = this.generations.get(namespace)!;
    }
    return `${namespace}:${generation}:${key}`;
  }

  /** The full key, without waiting: undefined until the namespace's generation has been read once. */
  peekKey(namespace: CacheNamespace, key: string): string | undefined {
    const generation = this.generations.get(namespace);
    return generation === undefined ? undefined : `${namespace}:${generation}:${key}`;
  }

  /**
   * `ttlMs` marks an entry with its own lifetime (see `set`): a Redis hit is then not copied into memory,
   * where it could outlive the Redis entry, whose remaining lifetime is unknown here.
   */
  async get(fullKey: string, ttlMs?: number): Promise<CacheLookup | undefined> {
    const value = this.peek(fullKey);
    if (value !== undefined) return { value, tier: 'memory' };
    return this.getFromRedis(fullKey, ttlMs);
  }

  /**
   * The memory tier alone, synchronously: what it holds now, as `get` would find it. `countMiss: false`
   * for a look that, when it misses, is followed by `get` (which counts the miss once).
   */
  peek(fullKey: string, { countMiss = true } = {}): string | undefined {
    return this.peekAs(fullKey, identity, { countMiss });
  }

  /**
   * `peek`, seen through `derive`: worked out once per stored entry and kept with it in the memory tier
   * (the fast path keeps a hit's ETag, body and length so, and pays for them once, not per request).
   */
  peekAs<T>(fullKey: string, derive: (value: string) => T, { countMiss = true } = {}): T | undefined {
    const degraded = this.degraded;
    if (!degraded && !this.settings.memoryTier) return undefined;
    const maxAgeMs = degraded ? this.fallbackMaxAgeMs() : undefined;
    const found = this.memory.derive(fullKey, Date.now(), maxAgeMs, derive);
    if (found !== undefined) this.stats.hit('memory');
    else if (countMiss) this.stats.miss('memory');
    return found;
  }

  /** The Redis tier, for a key `peek` did not find; undefined at once while Redis is bypassed. */
  async getFromRedis(
    fullKey: string,
    ttlMs?: number,
    { countMiss = true } = {},
  ): Promise<CacheLookup | undefined> {
    if (this.degraded) return undefined;
    let value: string | undefined;
    try {
      value = await this.readRedis(fullKey);
    } catch {
      return undefined;
    }
    if (value === undefined) {
      if (countMiss) this.stats.miss('redis');
      return undefined;
    }
    this.stats.hit('redis');
    if (this.settings.memoryTier && ttlMs === undefined)
      this.memory.set(fullKey, value, this.memoryTtlMs(), Date.now());
    return { value, tier: 'redis' };
  }

  /**
   * One GET per key in flight: lookups of a key whose read is already out share its answer (a hot key
   * under load costs one round trip per turn of the event loop, not one per request), and its failure
   * counts once. Never stale for that: the read went out at most one round trip before, and keys carry
   * their generation, so a read of a key from before a write is never what a later lookup asks for.
   */
  private readRedis(fullKey: string): Promise<string | undefined> {
    return shared(this.reading, fullKey, () =>
      withTimeout(this.redis.get<string>(fullKey), this.settings.redisTimeoutMs).then(
        (value) => {
          this.breaker.success();
          return value ?? undefined;
        },
        (err: unknown) => {
          this.redisFailed(err);
          throw err;
        },
      ),
    );
  }

  /** `ttlMs`: this entry's lifetime in both tiers, for namespaces whose data ages (default: the cache TTL). */
  async set(fullKey: string, value: string, ttlMs?: number): Promise<void> {
    if (value.length > this.settings.maxValueBytes) return;
    const now = Date.now();
    if (this.degraded) {
      const fallbackMs = this.settings.fallbackTtlSeconds * 1000;
      this.memory.set(fullKey, value, Math.min(fallbackMs, ttlMs ?? fallbackMs), now);
      return;
    }
    const lifetimeMs = ttlMs ?? this.jitteredTtlMs();
    if (this.settings.memoryTier) this.memory.set(fullKey, value, ttlMs ?? this.memoryTtlMs(), now);
    try {
      await withTimeout(this.redis.set(fullKey, value, lifetimeMs), this.settings.redisTimeoutMs);
      this.breaker.success();
    } catch (err) {
      this.redisFailed(err);
    }
  }

  /**
   * Read-through with one load per key per instance however many requests miss at once (stampede
   * protection). A load that throws caches nothing and fails every caller waiting on it.
   */
  async wrap(fullKey: string, load: () => Promise<string>, ttlMs?: number): Promise<CacheLookup> {
    const cached = await this.get(fullKey, ttlMs);
    if (cached) return cached;
    const pending = shared(this.inflight, fullKey, () =>
      load().then(async (value) => {
        await this.set(fullKey, value, ttlMs);
        return value;
      }),
    );
    return { value: await pending, tier: 'origin' };
  }

  /**
   * After a write: adopt the new generation here at once (the next read on this instance is fresh),
   * tell the other instances, and drop the namespace's old keys from Redis. Only the first step is
   * required for correctness; the others fail soft.
   */
  async invalidate(namespace: CacheNamespace, generation: string): Promise<void> {
    this.adopt(namespace, generation);
    if (this.degraded) return;
    await Promise.allSettled([
      withTimeout(this.bus.publish(namespace, generation), this.settings.redisTimeoutMs),
      this.deleteFromRedis(namespace),
    ]);
  }

  /**
   * The manual flush: memory and Redis, one namespace or all. Only keys under `strata:cache:` are
   * touched; queue jobs and other applications' keys in the same Redis survive. Throws if Redis is
   * down, so the caller can say the flush did not reach it.
   */
  async flush(namespace?: CacheNamespace): Promise<void> {
    if (namespace) this.memory.deletePrefix(`${namespace}:`);
    else this.memory.clear();
    const namespaces = namespace ? [namespace] : this.namespaces.names();
    for (const ns of namespaces) {
      await this.bus.publish(ns, this.generations.get(ns) ?? '0', true).catch(() => undefined);
    }
    if (namespace) await this.deleteFromRedis(namespace, true);
    else await withTimeout(this.redis.clear(), 10_000);
  }

  private adopt(namespace: CacheNamespace, generation: string): void {
    if (this.generations.get(namespace) === generation) return;
    this.generations.set(namespace, generation);
    this.memory.deletePrefix(`${namespace}:`);
  }

  private async deleteFromRedis(namespace: CacheNamespace, strict = false): Promise<void> {
    try {
      // Every master of a Cluster, each key in its own slot; one server otherwise.
      await unlinkMatching(this.redisClient, `${CACHE_KEY_NAMESPACE}:${namespace}:*`);
    } catch (err) {
      if (strict) throw err;
      this.logger.debug(`could not delete old ${namespace} keys: ${(err as Error).message}`);
    }
  }

  private redisFailed(err: unknown): void {
    this.stats.redisError();
    this.breaker.failure((err as Error)?.message ?? String(err));
  }

  /** Redis answers, the invalidation channel listens, and every generation is re-read from its source. */
  private async probe(): Promise<void> {
    try {
      if (!this.bus.connected) throw new Error('invalidation channel not connected');
      await withTimeout(this.redis.get('__probe__'), this.settings.redisTimeoutMs * 5);
      for (const [namespace, source] of this.namespaces.withSources()) this.adopt(namespace, await source());
    } catch (err) {
      // Starting with Redis down is an outage like any other: one warning (once start-up has waited).
      if (this.started) this.enterFallback((err as Error).message);
      throw err;
    }
  }

  /** Logs once per outage, however many requests or probes fail during it. */
  private enterFallback(reason: string): void {
    this.fallbackSince ??= Date.now();
    if (this.warned) return;
    this.warned = true;
    this.logger.warn(
      `cache Redis unavailable (${reason}): serving from memory, nothing older than ${this.settings.fallbackTtlSeconds} s`,
    );
  }

  private leaveFallback(): void {
    // What was cached during the outage lives only here; dropping it refills Redis from fresh reads.
    this.memory.clear();
    const after = this.fallbackSince ? ` after ${Date.now() - this.fallbackSince} ms` : '';
    if (this.warned) this.logger.log(`cache Redis available again${after}: two-tier cache restored`);
    this.fallbackSince = undefined;
    this.warned = false;
  }

  /**
   * In fallback, an entry is served only while younger than the fallback TTL. Writes made elsewhere are
   * unseen only since the channel broke, which is after such an entry was stored, so no instance serves
   * data older than the last write by more than the fallback TTL.
   */
  private fallbackMaxAgeMs(): number {
    return this.settings.fallbackTtlSeconds * 1000;
  }

  private jitteredTtlMs(): number {
    const base = this.settings.ttlSeconds * 1000;
    const spread = (base * this.settings.ttlJitterPercent) / 100;
    return Math.round(base - spread + Math.random() * 2 * spread);
  }

  /** Memory entries live as long as Redis ones: the generation, not the TTL, is what keeps them fresh. */
  private memoryTtlMs(): number {
    return this.jitteredTtlMs();
  }
}
