import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { closeRedis } from './close-redis.util.js';
import type { RedisClient } from './redis-client.js';
import { createRedisConnection } from './redis-connection.factory.js';
import type { RedisRole } from './redis.constants.js';

/**
 * Opens every Redis client the process uses, by role, and closes them all last on shutdown
 * (`onApplicationShutdown` runs after workers and queues have closed in `onModuleDestroy`).
 */
@Injectable()
export class RedisConnectionsService implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnectionsService.name);
  private readonly clients = new Set<RedisClient>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** `server` picks the Redis for roles that exist on both (a subscriber); it defaults from the role. */
  open(role: RedisRole, server: 'cache' | 'queue' = role === 'cache' ? 'cache' : 'queue'): RedisClient {
    const { commandTimeoutMs, connectTimeoutMs } = this.config.redis;
    const client = createRedisConnection(role, this.config.redis[server], {
      commandTimeoutMs,
      connectTimeoutMs,
    });
    if (role === 'queue') client.on('ready', () => void this.checkQueueEvictionPolicy(client));
    this.clients.add(client);
    client.once('end', () => this.clients.delete(client));
    return client;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.clients].map((client) => closeRedis(client)));
    this.clients.clear();
  }

  /** BullMQ loses jobs when Redis evicts keys; say so loudly at every (re)connect to a misconfigured server. */
  private async checkQueueEvictionPolicy(client: RedisClient): Promise<void> {
    try {
      const reply = (await client.config('GET', 'maxmemory-policy')) as string[];
      const policy = reply[1];
      if (policy && policy !== 'noeviction') {
        this.logger.warn(
          `queue Redis has maxmemory-policy=${policy}; BullMQ needs noeviction or it may silently lose jobs`,
        );
      }
    } catch (err) {
      // Managed Redis often forbids CONFIG; that is not worth more than a debug line.
      this.logger.debug(`could not read maxmemory-policy: ${(err as Error).message}`);
    }
  }
}
