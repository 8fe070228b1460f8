import { Injectable, Logger, type Type } from '@nestjs/common';
import { GUARDS_METADATA, INTERCEPTORS_METADATA } from '@nestjs/common/constants.js';
import { APP_GUARD, APP_INTERCEPTOR, DiscoveryService, Reflector } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { ApiKeyGuard, presentedKey } from '../auth/api-key.guard.js';
import { ApiKeyService } from '../auth/api-key.service.js';
import { IS_PUBLIC, REQUIRES_ADMIN } from '../auth/auth.decorators.js';
import { type FeatureOf, featureTemplate } from '../rate-limit/feature-template.js';
import { RATE_DECISION, RateLimitGuard, setRateLimitHeaders } from '../rate-limit/rate-limit.guard.js';
import { RATE_LIMIT_FEATURE } from '../rate-limit/rate-limited.decorator.js';
import { RateLimiter } from '../rate-limit/rate-limiter.service.js';
import { CACHED_ROUTE_HANDLER, type CachedRouteHandler } from './cached-route.decorator.js';
import { CachedRouteInterceptor } from './cached-route.interceptor.js';
import { cacheKeyFor, prepareCachedReply } from './cached-response.util.js';
import { ResilientCache } from './resilient-cache.service.js';

/** The global guards the fast path does the work of; any other would not see the requests it answers. */
const MIRRORED_GUARDS: readonly Type[] = [ApiKeyGuard, RateLimitGuard];

interface FastRoute extends CachedRouteHandler {
  feature: FeatureOf;
}

type Request = FastifyRequest & { [RATE_DECISION]?: ReturnType<RateLimiter['check']> };

/**
 * Answers cache hits of `@CachedRoute` routes from a Fastify `onRequest` hook of the route, before
 * Nest's router, guards and interceptors run. On a hit Nest's pipeline (execution context, two guards,
 * an rxjs interceptor chain) costs more than the whole rest of the request; see docs/cache.md.
 *
 * It does what those guards and the interceptor do, with the same services: the API key
 * (ApiKeyService), the rate limits (RateLimiter; a decision it paid for travels on with the request,
 * so it is never counted twice) and the same headers, ETag and 304 (prepareCachedReply). Anything
 * else (no or a bad key, a refused or pending rate decision, a miss) goes on to the Nest route, which
 * answers exactly as it would without the fast path.
 *
 * A route only gets it when nothing else guards it: no `@Public`/`@AdminOnly`, no guard or interceptor
 * of its own besides the cache's, and no global guard or interceptor besides ApiKeyGuard and
 * RateLimitGuard (an extension that adds one turns the fast path off, with a log line saying why).
 */
@Injectable()
export class CachedRouteFastPath {
  private readonly logger = new Logger(CachedRouteFastPath.name);
  /** The route patterns it serves hits of (for the startup log and the tests). */
  readonly routes: string[] = [];

  constructor(
    private readonly keys: ApiKeyService,
    private readonly limiter: RateLimiter,
    private readonly cache: ResilientCache,
    private readonly reflector: Reflector,
    private readonly discovery: DiscoveryService,
  ) {}

  /** Before the routes are registered (the app is not yet initialised). */
  attach(fastify: FastifyInstance): void {
    const blocker = this.globalEnhancerBlockingFastPath();
    if (blocker) {
      this.logger.log(`cached reads go through Nest only: ${blocker} would not see the fast path's answers`);
      return;
    }
    fastify.addHook('onRoute', (route) => {
      const cached = (route.config as Record<string, unknown> | undefined)?.[CACHED_ROUTE_HANDLER] as
        CachedRouteHandler | undefined;
      if (route.method !== 'GET' || !cached || !this.eligible(cached)) return;
      const feature = featureTemplate(this.reflector.get<string>(RATE_LIMIT_FEATURE, cached.handler));
      const fast: FastRoute = { ...cached, feature };
      const hook = (request: FastifyRequest, reply: FastifyReply, done: () => void) =>
        this.serve(fast, request as Request, reply, done);
      route.onRequest = [...toArray(route.onRequest), hook] as RouteOptions['onRequest'];
      this.routes.push(route.url);
    });
  }

  private serve(route: FastRoute, request: Request, reply: FastifyReply, next: () => void): void {
    if (!this.cache.enabled) return next();
    const principal = this.keys.authenticate(presentedKey(request.headers));
    if (!principal) return next();
    const decision = this.limiter.check(principal.id, route.feature(request.params as never) || undefined);
    if (decision !== undefined) {
      request[RATE_DECISION] = decision;
      if (decision instanceof Promise || !decision.allowed) return next();
      setRateLimitHeaders(reply, decision);
    }
    const key = this.cache.peekKey(route.options.namespace, cacheKeyFor(request, route.options.query));
    if (key === undefined) return next();
    // Misses are counted by the interceptor's own lookup, which a miss here leads to.
    const entry = this.cache.peek(key, { countMiss: false });
    if (entry !== undefined) return void reply.send(prepareCachedReply(reply, request, entry, 'HIT'));
    this.cache
      .getFromRedis(key, undefined, { countMiss: false })
      .then(
        (found) => (found ? void reply.send(prepareCachedReply(reply, request, found.value, 'HIT')) : next()),
        next,
      );
  }

  private eligible({ handler, controller }: CachedRouteHandler): boolean {
    const targets = [handler, controller];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return false;
    if (this.reflector.getAllAndOverride<boolean>(REQUIRES_ADMIN, targets)) return false;
    const guards = targets.flatMap((t) => (Reflect.getMetadata(GUARDS_METADATA, t) as unknown[]) ?? []);
    const interceptors = targets.flatMap(
      (t) => (Reflect.getMetadata(INTERCEPTORS_METADATA, t) as unknown[]) ?? [],
    );
    return guards.length === 0 && interceptors.every((i) => i === CachedRouteInterceptor);
  }

  private globalEnhancerBlockingFastPath(): string | undefined {
    for (const wrapper of this.discovery.getProviders()) {
      const token = String(wrapper.token);
      const isGuard = token.startsWith(`${APP_GUARD} `);
      if (!isGuard && !token.startsWith(`${APP_INTERCEPTOR} `)) continue;
      const cls = (wrapper.metatype ?? wrapper.instance?.constructor) as Type | undefined;
      if (isGuard && cls && MIRRORED_GUARDS.includes(cls)) continue;
      return `the global ${isGuard ? 'guard' : 'interceptor'} ${cls?.name ?? token}`;
    }
    return undefined;
  }
}

function toArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
