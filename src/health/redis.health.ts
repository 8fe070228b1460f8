import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { isCluster, type RedisClient } from '../redis/redis-client.js';
import { attachedReplicas } from '../redis/replica-acks.util.js';
import { CACHE_REDIS, QUEUE_REDIS } from '../redis/redis.constants.js';
import { HEALTH_TIMEOUT_MS } from './health.constants.js';

/**
 * PINGs the long-lived clients; a disconnected client answers `down` at once instead of waiting. With
 * QUEUE_MIN_REPLICAS_ACK set, the queue Redis is also `down` while fewer replicas are attached than an
 * enqueue must wait for (every enqueue would answer 503 meanwhile).
 */
@Injectable()
export class RedisHealthIndicator {
  private readonly minReplicas: number;

  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CACHE_REDIS) private readonly cache: RedisClient,
    @Inject(QUEUE_REDIS) private readonly queue: RedisClient,
  ) {
    this.minReplicas = config.queue.minReplicasAck;
  }

  isCacheHealthy() {
    return this.ping('redis-cache', this.cache);
  }

  isQueueHealthy() {
    return this.ping('redis-queue', this.queue, this.minReplicas);
  }

  private ping<const Key extends string>(key: Key, client: RedisClient, minReplicas = 0) {
    return this.health
      .check(key)
      .attempt(async () => {
        if (client.status !== 'ready') throw new Error(`connection ${client.status}`);
        await client.ping();
        const details = isCluster(client) ? await clusterState(client) : undefined;
        if (minReplicas === 0) return details;
        const attached = await attachedReplicas(client);
        if (attached < minReplicas)
          throw new Error(`${attached} replica(s) attached; QUEUE_MIN_REPLICAS_ACK needs ${minReplicas}`);
        return details;
      })
      .withTimeout(HEALTH_TIMEOUT_MS);
  }
}

/** A Cluster is up while the node asked says `cluster_state:ok` (every slot served by a live master). */
async function clusterState(client: RedisClient): Promise<{ clusterState: string }> {
  const info = (await client.cluster('INFO')) as string;
  const state = /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
  if (state !== 'ok') throw new Error(`cluster_state:${state}`);
  return { clusterState: state };
}
