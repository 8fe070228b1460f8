import type { Type } from '@nestjs/common';
import type { CacheNamespace } from './cache.constants.js';

/** The metadata key under which `@CachedRoute` keeps its options on the handler. */
export const CACHED_ROUTE = 'strata:cached-route';
/** The Fastify route config key under which a cached route tells the fast path (src/edge/) what it is. */
export const CACHED_ROUTE_HANDLER = 'strata:cached-route-handler';

export interface CachedRouteOptions {
  /** The namespace whose generation the entry belongs to; a write to it makes the entry unreachable. */
  namespace: CacheNamespace;
  /** Query parameters that change the answer. Any others are ignored and do not split the cache. */
  query?: readonly string[];
}

/** What the cache-hit fast path needs to know about a cached route when Fastify registers it. */
export interface CachedRouteHandler {
  options: CachedRouteOptions;
  handler: (...args: never[]) => unknown;
  controller: Type;
}
