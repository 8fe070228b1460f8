import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { RedisClient } from '../redis/redis-client.js';
import { CACHE_REDIS } from '../redis/redis.constants.js';
import { RedisConnectionsService } from '../redis/redis-connections.service.js';
import { CacheNamespaces } from './cache-namespaces.registry.js';
import { CACHE_INVALIDATION_CHANNEL, type CacheNamespace } from './cache.constants.js';

type MessageHandler = (namespace: CacheNamespace, generation: string, flush: boolean) => void;

interface InvalidationMessage {
  ns: CacheNamespace;
  gen: string;
  flush?: boolean;
}

/**
 * Redis pub/sub between instances sharing a cache: "namespace N is now at generation G". A dedicated
 * subscriber connection (a subscribed client can do nothing else) that reconnects and resubscribes by
 * itself; the publisher is the fail-fast cache connection.
 */
@Injectable()
export class CacheInvalidationBus implements OnModuleInit {
  private readonly logger = new Logger(CacheInvalidationBus.name);
  private readonly subscriber: RedisClient;
  private readonly handlers: MessageHandler[] = [];
  private readonly disconnectHandlers: (() => void)[] = [];
  private readonly connectHandlers: (() => void)[] = [];
  private subscribed = false;

  constructor(
    connections: RedisConnectionsService,
    @Inject(CACHE_REDIS) private readonly publisher: Redis,
    private readonly namespaces: CacheNamespaces,
  ) {
    this.subscriber = connections.open('subscriber', 'cache');
  }

  onModuleInit(): void {
    this.subscriber.on('message', (_channel: string, raw: string) => this.dispatch(raw));
    this.subscriber.on('ready', () => void this.subscribe());
    this.subscriber.on('close', () => {
      const wasSubscribed = this.subscribed;
      this.subscribed = false;
      if (wasSubscribed) this.disconnectHandlers.forEach((h) => h());
    });
    if (this.subscriber.status === 'ready') void this.subscribe();
  }

  /** Subscribed now: a message published from this moment on will arrive. */
  get connected(): boolean {
    return this.subscribed && this.subscriber.status === 'ready';
  }

  onMessage(handler: MessageHandler): void {
    this.handlers.push(handler);
  }

  onDisconnect(handler: () => void): void {
    this.disconnectHandlers.push(handler);
  }

  onConnect(handler: () => void): void {
    this.connectHandlers.push(handler);
  }

  async publish(namespace: CacheNamespace, generation: string, flush = false): Promise<void> {
    const message: InvalidationMessage = { ns: namespace, gen: generation, ...(flush ? { flush } : {}) };
    await this.publisher.publish(CACHE_INVALIDATION_CHANNEL, JSON.stringify(message));
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(CACHE_INVALIDATION_CHANNEL);
      this.subscribed = true;
      this.connectHandlers.forEach((h) => h());
    } catch (err) {
      this.logger.debug(`subscribe failed: ${(err as Error).message}`);
    }
  }

  private dispatch(raw: string): void {
    let message: InvalidationMessage;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    // A namespace no module of this process registered holds nothing here (another version's, say).
    if (!this.namespaces.has(message.ns) || typeof message.gen !== 'string') return;
    for (const handler of this.handlers) handler(message.ns, message.gen, message.flush === true);
  }
}
