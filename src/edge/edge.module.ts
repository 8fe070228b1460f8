import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import { AuthModule } from '../auth/auth.module.js';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard.js';
import { RateLimitModule } from '../rate-limit/rate-limit.module.js';
import { CachedRouteFastPath } from './cached-route.fast-path.js';

/**
 * The edge of the API roles: what every request meets before a handler, on both roads a request can
 * take (the Nest pipeline, and the cache-hit fast path that answers before Fastify). It sits above the
 * rooms it uses (auth, rate limits, cache) so that none of them needs another.
 *
 * Global guards, in this order: who is calling (ApiKeyGuard sets `request.principal`), then how much
 * that caller may still do (RateLimitGuard needs the principal).
 */
@Module({
  imports: [AuthModule, RateLimitModule, DiscoveryModule],
  providers: [
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    CachedRouteFastPath,
  ],
  exports: [CachedRouteFastPath],
})
export class EdgeModule {}
