import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setHeaderList } from '../http/header-list.js';
import { type FeatureOf, featureTemplate } from './feature-template.js';
import type { MaybePromise, RateDecision } from './rate-decision.js';
import { RATE_LIMIT_FEATURE } from './rate-limited.decorator.js';
import { RateLimitExceededException } from './rate-limit-exceeded.exception.js';
import { RateLimiter } from './rate-limiter.service.js';

/**
 * Where the cached-read fast path (src/edge/cached-route.fast-path.ts) leaves the decision it already
 * paid for when it hands a request on to Nest (on the raw request: the fast path runs before Fastify
 * makes its own), so the request is not counted twice. A symbol: nothing a client sends can set it.
 */
export const RATE_DECISION = Symbol('strata.rate-decision');

/** The raw request, where the fast path (which runs before Fastify) leaves its decision. */
export type RequestWithDecision = { [RATE_DECISION]?: MaybePromise<RateDecision> };

type LimitedRequest = FastifyRequest<{ Params: Record<string, string> }> & {
  /** The caller, as the guard before this one (src/auth/) leaves it: its id names the budgets. */
  principal?: { id: string };
  raw: RequestWithDecision;
};

/**
 * Runs after ApiKeyGuard (both are made global by EdgeModule, in that order). Routes without a principal
 * (health, metrics) are never limited. Sets the RateLimit headers on every limited answer, 429 included.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly features = new WeakMap<object, FeatureOf>();

  constructor(private readonly limiter: RateLimiter) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (!this.limiter.enabled) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<LimitedRequest>();
    if (!request.principal) return true;
    const decision =
      request.raw[RATE_DECISION] ??
      this.limiter.check(
        request.principal.id,
        this.featureOf(context.getHandler())(request.params) || undefined,
      );
    if (decision === undefined) return true;
    const reply = http.getResponse<FastifyReply>();
    return decision instanceof Promise ? decision.then((d) => apply(reply, d)) : apply(reply, decision);
  }

  private featureOf(handler: object): FeatureOf {
    let featureOf = this.features.get(handler);
    if (!featureOf) {
      featureOf = featureTemplate(Reflect.getMetadata(RATE_LIMIT_FEATURE, handler) as string | undefined);
      this.features.set(handler, featureOf);
    }
    return featureOf;
  }
}

/** Seconds until the window frees room. */
function resetSecondsOf(decision: RateDecision): number {
  return Math.max(0, Math.ceil((decision.resetAt - Date.now()) / 1000));
}

/** The RateLimit headers, sent on every limited answer, as `[name, value, ...]`. */
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

function apply(reply: FastifyReply, decision: RateDecision): true {
  // Read the clock once: RateLimit-Reset and Retry-After must agree.
  const resetSeconds = resetSecondsOf(decision);
  setHeaderList(reply, rateLimitHeaders(decision, resetSeconds));
  if (decision.allowed) return true;
  throw new RateLimitExceededException(
    `rate limit exceeded: ${decision.limit} requests per window; retry in ${Math.max(1, resetSeconds)} s`,
    Math.max(1, resetSeconds),
  );
}
