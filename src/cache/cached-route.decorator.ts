import { applyDecorators, SetMetadata, type Type, UseInterceptors } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { CachedRouteInterceptor } from './cached-route.interceptor.js';
import {
  CACHED_ROUTE,
  CACHED_ROUTE_HANDLER,
  type CachedRouteHandler,
  type CachedRouteOptions,
} from './cached-route.options.js';

/**
 * Caches a GET route's 200 responses (serialized once, with an ETag) in the resilient two-tier cache.
 * The namespace must be registered (`ResilientCache.registerNamespace`) by the module that owns it.
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

function describeForFastPath(options: CachedRouteOptions): MethodDecorator {
  return (target, key, descriptor) => {
    const handler = descriptor.value as CachedRouteHandler['handler'];
    const described: CachedRouteHandler = { options, handler, controller: target.constructor as Type };
    RouteConfig({ [CACHED_ROUTE_HANDLER]: described })(target, key, descriptor);
  };
}
