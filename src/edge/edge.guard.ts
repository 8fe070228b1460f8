import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  HttpException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyService } from '../auth/api-key.service.js';
import type { Principal } from '../auth/principal.js';
import { presentedKey } from '../auth/presented-key.js';
import { setHeaderList } from '../http/header-list.js';
import { IS_PUBLIC, REQUIRES_ADMIN } from '../http/route-access.decorators.js';
import { type FeatureOf, featureTemplate } from '../rate-limit/feature-template.js';
import { andThen, type MaybePromise, type RateDecision } from '../rate-limit/rate-decision.js';
import { RATE_LIMIT_FEATURE } from '../rate-limit/rate-limited.decorator.js';
import { RateLimitExceededException } from '../rate-limit/rate-limit-exceeded.exception.js';
import { RateLimiter } from '../rate-limit/rate-limiter.service.js';
import { EdgeHandoff } from './edge-handoff.js';
import { EdgeHeaders } from './edge-headers.js';
import { RequestPolicies } from './request-policies.service.js';
import type { PolicyVerdict, RequestContext } from './request-policy.js';

/** What a route asks of the edge, read from its metadata once. */
interface RouteAccess {
  public: boolean;
  admin: boolean;
  feature: FeatureOf;
}

type EdgeRequest = FastifyRequest<{ Params: Record<string, string> }> & { principal?: Principal };

/**
 * The Nest road's edge, and the app's one global guard, in this order: who is calling (the API key;
 * `@Public()` routes stop here), admin-only routes, the request policies, then the rate limits (a
 * request a policy refuses is not charged). The fast path runs the same steps, from the same services,
 * and hands over what it decided (EdgeHandoff) so nothing runs or is charged twice.
 */
@Injectable()
export class EdgeGuard implements CanActivate {
  private readonly routes = new WeakMap<object, RouteAccess>();

  constructor(
    private readonly keys: ApiKeyService,
    private readonly limiter: RateLimiter,
    private readonly policies: RequestPolicies,
    private readonly handoff: EdgeHandoff,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const access = this.accessOf(context);
    if (access.public) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<EdgeRequest>();
    const handed = this.handoff.take(request.raw);
    const principal = handed?.principal ?? this.keys.authenticate(presentedKey(request.headers));
    if (!principal) throw new UnauthorizedException('a valid API key is required (Authorization: Bearer <key>)');
    request.principal = principal;
    if (access.admin && principal.role !== 'admin') throw new ForbiddenException('this route needs an admin key');
    const verdict = handed ? handed.verdict : this.policies.size === 0 ? undefined : this.check(request, principal);
    const reply = http.getResponse<FastifyReply>();
    const charge = (): MaybePromise<boolean> => {
      const rate = handed
        ? handed.rate
        : this.limiter.check(principal.id, access.feature(request.params) || undefined);
      return rate === undefined ? true : andThen(rate, (decision) => enforce(reply, decision));
    };
    if (verdict === undefined) return charge();
    return andThen(verdict, (v) => (v.allow ? charge() : refuse(v)));
  }

  private check(request: EdgeRequest, principal: Principal): MaybePromise<PolicyVerdict> {
    const url = request.url;
    const cut = url.indexOf('?');
    const context: RequestContext = {
      method: request.method,
      path: cut === -1 ? url : url.slice(0, cut),
      route: request.routeOptions.url ?? '',
      params: request.params ?? {},
      headers: request.headers,
      principal,
    };
    return this.policies.check(context);
  }

  private accessOf(context: ExecutionContext): RouteAccess {
    const handler = context.getHandler();
    let access = this.routes.get(handler);
    if (!access) {
      const targets = [handler, context.getClass()];
      access = {
        public: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
        admin: this.reflector.getAllAndOverride<boolean>(REQUIRES_ADMIN, targets) === true,
        feature: featureTemplate(this.reflector.get<string | undefined>(RATE_LIMIT_FEATURE, handler)),
      };
      this.routes.set(handler, access);
    }
    return access;
  }
}

/** Sets the RateLimit headers on every limited answer, and refuses the request over the limit with 429. */
function enforce(reply: FastifyReply, decision: RateDecision): true {
  const { headers, resetSeconds } = EdgeHeaders.rateLimit(decision);
  setHeaderList(reply, headers);
  if (decision.allowed) return true;
  const wait = Math.max(1, resetSeconds);
  throw new RateLimitExceededException(
    `rate limit exceeded: ${decision.limit} requests per window; retry in ${wait} s`,
    wait,
  );
}

function refuse(verdict: Extract<PolicyVerdict, { allow: false }>): never {
  throw new HttpException(
    { message: verdict.message, ...(verdict.details === undefined ? {} : { details: verdict.details }) },
    verdict.status,
  );
}
