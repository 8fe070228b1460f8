import { Global, Module } from '@nestjs/common';
import { RateLimiter } from './rate-limiter.service.js';
import { SseConnections } from './sse-connections.js';

/** The limiter and the SSE slots; the edge (src/edge/) charges every request to the limiter. */
@Global()
@Module({
  providers: [RateLimiter, SseConnections],
  exports: [RateLimiter, SseConnections],
})
export class RateLimitModule {}
