import { LocalWindow } from './local-window.js';
import { localDecision, type MaybePromise, type RateDecision } from './rate-decision.js';
import type { RateLimitRule } from '../config/rate-limit-rules.js';
import type { RateLimitRedis, SyncRequest } from './rate-limit-redis.js';

interface SyncedState {
  rule: RateLimitRule;
  redisKey: string;
  /** The shared count as of the last answer from Redis (this instance's pushes included). */
  global: number;
  /** Admitted here since then, not yet pushed. */
  delta: number;
  /** Pushed, the answer not back yet: not in `global`, no longer in `delta`. */
  inflight: number;
  resetAt: number;
  local: LocalWindow;
}

const BATCH = 200;

/**
 * The broad `default` limit, counted locally and synced in the background, so a request it admits costs
 * no Redis round trip. Each instance may admit its fair share of what is left, ⌊(limit − global) / live
 * instances⌋, before it must ask Redis again; past that share a request pays one exact round trip. The
 * bound this leaves on overshoot across instances is worked out in docs/security.md.
 */
export class SyncedBudgets {
  private readonly states = new Map<string, SyncedState>();
  private instances = 1;
  private flushing = false;

  constructor(private readonly redis: RateLimitRedis) {}

  check(keyId: string, rule: RateLimitRule, now: number): MaybePromise<RateDecision> {
    const state = this.stateOf(keyId, rule);
    if (!this.redis.available) return localDecision(state.local, now);
    const { limit } = rule;
    // Full as of the last count, and nothing in it expires before resetAt: no need to ask.
    if (state.global >= limit && now < state.resetAt) {
      return { allowed: false, limit, remaining: 0, resetAt: state.resetAt };
    }
    if (state.delta + state.inflight < Math.floor((limit - state.global) / this.instances)) {
      state.delta++;
      state.local.record(now);
      return {
        allowed: true,
        limit,
        remaining: limit - state.global - state.inflight - state.delta,
        resetAt: state.resetAt > now ? state.resetAt : now + rule.windowMs,
      };
    }
    return this.checkExactly(state, now);
  }

  /** Pushes every local count and reads the totals back; the timer's job, also the heartbeat. */
  async flush(now = Date.now()): Promise<void> {
    if (this.flushing || !(this.redis.available || this.redis.recovering)) return;
    this.flushing = true;
    try {
      const pending = [...this.states.values()].filter((s) => s.delta > 0);
      for (let i = 0; i === 0 || i < pending.length; i += BATCH) {
        const states = pending.slice(i, i + BATCH);
        const requests = states.map((s) => this.request(s, 0));
        const reply = await this.redis.sync(requests, now);
        states.forEach((s, j) => (s.inflight -= requests[j].pushed));
        if (!reply) return;
        this.instances = reply.instances;
        states.forEach((s, j) => this.adopt(s, reply.results[j].count, reply.results[j].resetAt));
      }
    } finally {
      this.flushing = false;
    }
  }

  private async checkExactly(state: SyncedState, now: number): Promise<RateDecision> {
    const request = this.request(state, 1);
    const reply = await this.redis.sync([request], now);
    state.inflight -= request.pushed;
    if (!reply) return localDecision(state.local, now);
    this.instances = reply.instances;
    const result = reply.results[0];
    this.adopt(state, result.count, result.resetAt);
    if (result.admitted) state.local.record(now);
    const { limit } = state.rule;
    return {
      allowed: result.admitted,
      limit,
      remaining: Math.max(0, limit - result.count - state.inflight - state.delta),
      resetAt: result.resetAt,
    };
  }

  /** Takes the pending count for pushing: if the call fails it is dropped, as the outage counts locally. */
  private request(state: SyncedState, want: 0 | 1): SyncRequest {
    const pushed = state.delta;
    state.delta = 0;
    state.inflight += pushed;
    const { limit, windowMs } = state.rule;
    return { redisKey: state.redisKey, windowMs, limit, pushed, want };
  }

  private adopt(state: SyncedState, count: number, resetAt: number): void {
    state.global = count;
    state.resetAt = resetAt;
  }

  private stateOf(keyId: string, rule: RateLimitRule): SyncedState {
    let state = this.states.get(keyId);
    if (!state || state.rule !== rule) {
      state = {
        rule,
        redisKey: `${this.redis.keyPrefix}${rule.feature}:${keyId}`,
        global: 0,
        delta: 0,
        inflight: 0,
        resetAt: 0,
        local: new LocalWindow(rule.limit, rule.windowMs),
      };
      this.states.set(keyId, state);
    }
    return state;
  }
}
