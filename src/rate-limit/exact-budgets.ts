import { LocalWindow } from './local-window.js';
import { localDecision, type MaybePromise, type RateDecision } from './rate-decision.js';
import type { RateLimitRule } from '../config/rate-limit-rules.js';
import type { RateLimitRedis } from './rate-limit-redis.js';

interface ExactState {
  redisKey: string;
  local: LocalWindow;
}

/**
 * Costly features (`tasks:narrative`, `taxonomy:write`): one round trip per request to the exact shared
 * window, which is worth it next to the work the request starts. In memory only while Redis is away.
 */
export class ExactBudgets {
  private readonly states = new Map<RateLimitRule, Map<string, ExactState>>();

  constructor(private readonly redis: RateLimitRedis) {}

  check(keyId: string, rule: RateLimitRule, now: number): MaybePromise<RateDecision> {
    const state = this.stateOf(keyId, rule);
    if (!this.redis.available) return localDecision(state.local, now);
    return this.redis.exact(state.redisKey, rule.limit, rule.windowMs, now).then((result) => {
      if (!result) return localDecision(state.local, now);
      if (result.admitted) state.local.record(now);
      return {
        allowed: result.admitted,
        limit: rule.limit,
        remaining: Math.max(0, rule.limit - result.count),
        resetAt: result.resetAt,
      };
    });
  }

  private stateOf(keyId: string, rule: RateLimitRule): ExactState {
    let byKey = this.states.get(rule);
    if (!byKey) this.states.set(rule, (byKey = new Map()));
    let state = byKey.get(keyId);
    if (!state) {
      state = {
        redisKey: `${this.redis.keyPrefix}${rule.feature}:${keyId}`,
        local: new LocalWindow(rule.limit, rule.windowMs),
      };
      byKey.set(keyId, state);
    }
    return state;
  }
}
