import { applyDecorators, SetMetadata, type Type, UseInterceptors } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { CacheNamespace } from './cache.constants.js';
import { CachedRouteInterceptor } from './cached-route.interceptor.js';

export const CACHED_ROUTE = 'strata:cached-route';
/** The Fastify route config key under which a cached route tells the fast path what it is. */
export const CACHED_ROUTE_HANDLER = 'strata:cached-route-handler';

export interface CachedRouteOptions {
  /** The namespace whose generation the entry belongs to; a write to it makes the entry unreachable. */
  namespace: CacheNamespace;
  /** Query parameters that change the answer. Any others are ignored and do not split the cache. */
  query?: readonly string[];
}

/**
 * Caches a GET route's 200 responses (serialized once, with an ETag) in the resilient two-tier cache.
 *
 * Contract: the response must depend only on the method, the path and the listed query parameters,
 * never on who is asking (no per-key filtering, no principal in the body). A route whose answer varies
 * by caller must not use this decorator. Errors and bodies over `CACHE_MAX_VALUE_BYTES` are never cached.
 */
export const CachedRoute = (options: CachedRouteOptions) =>
  applyDecorators(
    SetMetadata(CACHED_ROUTE, options),
    UseInterceptors(CachedRouteInterceptor),
    describeForFastPath(options),
  );

/** What CachedRouteFastPath needs to know about the route when Fastify registers it. */
export interface CachedRouteHandler {
  options: CachedRouteOptions;
  handler: (...args: never[]) => unknown;
  controller: Type;
}

function describeForFastPath(options: CachedRouteOptions): MethodDecorator {
  return (target, key, descriptor) => {
    const handler = descriptor.value as CachedRouteHandler['handler'];
    const described: CachedRouteHandler = { options, handler, controller: target.constructor as Type };
    RouteConfig({ [CACHED_ROUTE_HANDLER]: described })(target, key, descriptor);
  };
}
