import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module.js';
import { RateLimitModule } from '../rate-limit/rate-limit.module.js';
import { CachedRouteFastPath } from './cached-route.fast-path.js';
import { EdgeGuard } from './edge.guard.js';
import { EdgeHandoff } from './edge-handoff.js';
import { FastPathReport } from './fast-path-report.js';
import { RequestPolicies } from './request-policies.service.js';

/**
 * The edge of the API roles: what every request meets before a handler, on both roads a request can
 * take, the Nest pipeline (EdgeGuard, the app's one global guard) and the cache-hit fast path that
 * answers before Fastify. Both run the same steps from the same services: the API key, the request
 * policies (any module's, docs/extending.md), the rate limits. It sits above the rooms it uses (auth,
 * rate limits, cache), so none of them needs another.
 */
@Module({
  imports: [AuthModule, RateLimitModule, DiscoveryModule],
  providers: [
    { provide: APP_GUARD, useClass: EdgeGuard },
    EdgeHandoff,
    RequestPolicies,
    FastPathReport,
    CachedRouteFastPath,
  ],
  exports: [CachedRouteFastPath, RequestPolicies],
})
export class EdgeModule {}
