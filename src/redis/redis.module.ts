import { Global, Module } from '@nestjs/common';
import { CACHE_REDIS, QUEUE_REDIS } from './redis.constants.js';
import { RedisConnectionsService } from './redis-connections.service.js';

/**
 * The long-lived cache and queue connections. When both URLs are equal they are still two clients: a
 * slow cache command must never delay an enqueue, and each role keeps its own timeouts.
 */
@Global()
@Module({
  providers: [
    RedisConnectionsService,
    {
      provide: CACHE_REDIS,
      inject: [RedisConnectionsService],
      useFactory: (connections: RedisConnectionsService) => connections.open('cache'),
    },
    {
      provide: QUEUE_REDIS,
      inject: [RedisConnectionsService],
      useFactory: (connections: RedisConnectionsService) => connections.open('queue'),
    },
  ],
  exports: [CACHE_REDIS, QUEUE_REDIS, RedisConnectionsService],
})
export class RedisModule {}
