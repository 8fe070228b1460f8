import { Global, Module } from '@nestjs/common';
import { CacheModule } from '@nestjs/cache-manager';
import type { RedisClient } from '../redis/redis-client.js';
import { CACHE_REDIS } from '../redis/redis.constants.js';
import { CacheAdminController } from './cache-admin.controller.js';
import { CacheInvalidationBus } from './cache-invalidation.bus.js';
import { CacheNamespaces } from './cache-namespaces.registry.js';
import { CachedRouteInterceptor } from './cached-route.interceptor.js';
import { createRedisCacheStore } from './redis-cache.factory.js';
import { ResilientCache } from './resilient-cache.service.js';
import { cacheAdminRouteDocs } from './cache-admin.route-docs.js';

/**
 * `@nestjs/cache-manager` owns the cache-manager 7 instance over a Keyv store on the cache connection
 * (`CACHE_MANAGER`); `ResilientCache` adds the memory tier, timeouts, circuit breaker and
 * invalidation that a cache in front of the database needs to survive Redis outages.
 */
@Global()
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [CACHE_REDIS],
      useFactory: (client: RedisClient) => ({ stores: [createRedisCacheStore(client)] }),
    }),
  ],
  controllers: [CacheAdminController],
  providers: [
    ResilientCache,
    CacheNamespaces,
    CacheInvalidationBus,
    CachedRouteInterceptor,
    cacheAdminRouteDocs,
  ],
  exports: [ResilientCache, CacheNamespaces, CachedRouteInterceptor],
})
export class ResilientCacheModule {}
