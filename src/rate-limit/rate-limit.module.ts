import { Global, Module } from '@nestjs/common';
import { RateLimitGuard } from './rate-limit.guard.js';
import { RateLimiter } from './rate-limiter.service.js';
import { SseConnections } from './sse-connections.js';

/** The limiter and the SSE slots; the guard itself is made global by EdgeModule (src/edge/), after ApiKeyGuard. */
@Global()
@Module({
  providers: [RateLimiter, RateLimitGuard, SseConnections],
  exports: [RateLimiter, RateLimitGuard, SseConnections],
})
export class RateLimitModule {}
