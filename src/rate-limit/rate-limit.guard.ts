import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import type { RateDecision } from './rate-decision.js';
import { RATE_LIMIT_FEATURE } from './rate-limited.decorator.js';
import { RateLimitExceededException } from './rate-limit-exceeded.exception.js';
import { RateLimiter } from './rate-limiter.service.js';

type FeatureOf = (params: Record<string, string> | undefined) => string;
const NONE: FeatureOf = () => '';

/** `tasks:{type}` → a function of the route parameters, built once per handler. */
function compile(template: string | undefined): FeatureOf {
  if (!template) return NONE;
  if (!template.includes('{')) return () => template;
  const parts = template.split(/\{(\w+)\}/);
  return (params) => parts.map((part, i) => (i % 2 ? (params?.[part] ?? '') : part)).join('');
}

/**
 * Runs after ApiKeyGuard (both are registered in AuthModule, in that order). Routes without a principal
 * (health, metrics) are never limited. Sets the RateLimit headers on every limited answer, 429 included.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly features = new WeakMap<object, FeatureOf>();

  constructor(private readonly limiter: RateLimiter) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (!this.limiter.enabled) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { principal?: Principal }>();
    if (!request.principal) return true;
    const feature = this.featureOf(context.getHandler())(request.params as Record<string, string>);
    const decision = this.limiter.check(request.principal.id, feature || undefined);
    if (decision === undefined) return true;
    const reply = http.getResponse<FastifyReply>();
    return decision instanceof Promise ? decision.then((d) => apply(reply, d)) : apply(reply, decision);
  }

  private featureOf(handler: object): FeatureOf {
    let featureOf = this.features.get(handler);
    if (!featureOf) {
      featureOf = compile(Reflect.getMetadata(RATE_LIMIT_FEATURE, handler) as string | undefined);
      this.features.set(handler, featureOf);
    }
    return featureOf;
  }
}

function apply(reply: FastifyReply, decision: RateDecision): true {
  const resetSeconds = Math.max(0, Math.ceil((decision.resetAt - Date.now()) / 1000));
  void reply.header('ratelimit-limit', decision.limit);
  void reply.header('ratelimit-remaining', decision.remaining);
  void reply.header('ratelimit-reset', resetSeconds);
  if (decision.allowed) return true;
  throw new RateLimitExceededException(
    `rate limit exceeded: ${decision.limit} requests per window; retry in ${Math.max(1, resetSeconds)} s`,
    Math.max(1, resetSeconds),
  );
}
