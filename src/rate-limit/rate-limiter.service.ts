import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { CACHE_REDIS } from '../redis/redis.constants.js';
import { ExactBudgets } from './exact-budgets.js';
import { andThen, tighter, type MaybePromise, type RateDecision } from './rate-decision.js';
import { DEFAULT_FEATURE } from '../config/rate-limit-rules.js';
import { RateLimitRedis } from './rate-limit-redis.js';
import { RuleBook } from './rule-book.js';
import { SyncedBudgets } from './synced-budgets.js';

/**
 * Sliding-window limits per API key and feature. `default` is charged on every limited request and
 * counted locally with a background sync (no round trip on the hot path); any other feature a route
 * names is counted exactly in Redis. Both live on the cache Redis, next to data that may be lost without
 * harm; while it is away both fall back to per-instance memory windows, never to "no limit".
 */
@Injectable()
export class RateLimiter implements OnModuleInit, OnModuleDestroy {
  private readonly rules: RuleBook;
  private readonly redis: RateLimitRedis;
  private readonly synced: SyncedBudgets;
  private readonly exact: ExactBudgets;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CACHE_REDIS) client: Redis,
  ) {
    const { rateLimits, rateLimitRedisTimeoutMs, rateLimitSyncMs } = config.security;
    this.rules = new RuleBook(rateLimits);
    // An instance missing three syncs in a row no longer takes a share of anyone's budget.
    this.redis = new RateLimitRedis(
      client,
      rateLimitRedisTimeoutMs,
      3 * rateLimitSyncMs + rateLimitRedisTimeoutMs,
    );
    this.synced = new SyncedBudgets(this.redis);
    this.exact = new ExactBudgets(this.redis);
  }

  get enabled(): boolean {
    return this.config.security.rateLimitsEnabled;
  }

  /** Undefined when no limit applies. Synchronous whenever no Redis round trip is needed. */
  check(keyId: string, feature: string | undefined): MaybePromise<RateDecision> | undefined {
    if (!this.enabled) return undefined;
    const now = Date.now();
    const base = this.rules.find(DEFAULT_FEATURE, keyId);
    const extra = feature === undefined ? undefined : this.rules.find(feature, keyId);
    if (!extra) return base && this.synced.check(keyId, base, now);
    if (!base) return this.exact.check(keyId, extra, now);
    // The broad limit first: a request it refuses does not spend the costly feature's budget.
    return andThen(this.synced.check(keyId, base, now), (first) =>
      first.allowed
        ? andThen(this.exact.check(keyId, extra, now), (second) => tighter(first, second))
        : first,
    );
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    // The first heartbeat tells this instance how many others share the budgets.
    void this.synced.flush();
    this.timer = setInterval(() => void this.synced.flush(), this.config.security.rateLimitSyncMs);
    this.timer.unref();
  }

  /** Pushes what was counted here, so a rolling restart does not hand clients a fresh budget. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    if (this.enabled) await this.synced.flush();
  }
}
