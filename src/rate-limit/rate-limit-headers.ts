import type { RateDecision } from './rate-decision.js';

/** Seconds until the window frees room. */
export function resetSecondsOf(decision: RateDecision): number {
  return Math.max(0, Math.ceil((decision.resetAt - Date.now()) / 1000));
}

/** The RateLimit headers, sent on every limited answer (429 included), as `[name, value, ...]`. */
export function rateLimitHeaders(decision: RateDecision, resetSeconds = resetSecondsOf(decision)): string[] {
  return [
    'ratelimit-limit',
    String(decision.limit),
    'ratelimit-remaining',
    String(decision.remaining),
    'ratelimit-reset',
    String(resetSeconds),
  ];
}
