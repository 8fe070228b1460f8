import type { LocalWindow } from './local-window.js';

/** What one limit says about one request; `resetAt` is when the window next frees room (epoch ms). */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetAt: number;
}

/** The in-memory answer: while Redis is away, and always recorded so it is ready when needed. */
export function localDecision(local: LocalWindow, now: number): RateDecision {
  const allowed = local.tryTake(now);
  return {
    allowed,
    limit: local.limit,
    remaining: Math.max(0, Math.floor(local.limit - local.count(now))),
    resetAt: allowed ? local.clearAt(now) : local.nextFreeAt(now),
  };
}

/** Of two limits that both apply, the one the client should see: a refusal, else the least remaining. */
export function tighter(a: RateDecision, b: RateDecision): RateDecision {
  if (!a.allowed) return a;
  if (!b.allowed) return b;
  return b.remaining < a.remaining ? b : a;
}

export type MaybePromise<T> = T | Promise<T>;

/** Chains without a promise when the value is already there: the common, local case stays synchronous. */
export function andThen<T, U>(value: MaybePromise<T>, next: (v: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
