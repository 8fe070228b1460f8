import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { TaskQueues } from './task-queues.service.js';
import type { TaskView } from './task-view.js';

export const ALL_OWNERS = '*';

const TRIM_EVERY_MS = 60_000;

/**
 * What BullMQ does not keep: which tasks belong to whom (a sorted set per owner, and one for admins, by
 * creation time), and cancelled tasks, whose jobs are removed from the queue. Entries older than the
 * longest retention are trimmed on every write; ones whose job retention already removed are dropped
 * lazily by the listing.
 */
@Injectable()
export class TaskIndex {
  private readonly trimmedAt = new Map<string, number>();

  constructor(
    private readonly queues: TaskQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async add(owner: string, id: string, createdAt: number): Promise<void> {
    // Plain commands, not a pipeline: ioredis copies every script defined on the connection (BullMQ's
    // dozens) into each new pipeline, which cost more CPU than the rest of the enqueue (profiled).
    const redis = this.queues.redis;
    const writes: Promise<unknown>[] = [];
    for (const key of [this.ownerKey(owner), this.ownerKey(ALL_OWNERS)]) {
      writes.push(redis.zadd(key, 'NX', createdAt, id));
      // Trimming at most once a minute per key keeps the enqueue path to one command per index.
      if (createdAt - (this.trimmedAt.get(key) ?? 0) > TRIM_EVERY_MS) {
        this.trimmedAt.set(key, createdAt);
        writes.push(redis.zremrangebyscore(key, '-inf', createdAt - this.retentionMs()));
      }
    }
    await Promise.all(writes);
  }

  async remove(owner: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.queues.redis
      .multi()
      .zrem(this.ownerKey(owner), ...ids)
      .zrem(this.ownerKey(ALL_OWNERS), ...ids)
      .exec();
  }

  /** Ids newest first, from `offset`, at or below `maxScore`, with their creation times. */
  async page(owner: string, maxScore: number, offset: number, count: number): Promise<[string, number][]> {
    const flat = await this.queues.redis.zrevrangebyscore(
      this.ownerKey(owner),
      maxScore,
      '-inf',
      'WITHSCORES',
      'LIMIT',
      offset,
      count,
    );
    const out: [string, number][] = [];
    for (let i = 0; i < flat.length; i += 2) out.push([flat[i], Number(flat[i + 1])]);
    return out;
  }

  async saveCancelled(owner: string, view: TaskView): Promise<void> {
    const ttl = this.config.queue.removeOnFail.age;
    await this.queues.redis.set(this.cancelledKey(view.id), JSON.stringify({ owner, view }), 'EX', ttl);
  }

  async findCancelled(id: string): Promise<{ owner: string; view: TaskView } | undefined> {
    const raw = await this.queues.redis.get(this.cancelledKey(id));
    return raw ? JSON.parse(raw) : undefined;
  }

  private retentionMs(): number {
    const { removeOnComplete, removeOnFail } = this.config.queue;
    return Math.max(removeOnComplete.age, removeOnFail.age) * 1000;
  }

  private ownerKey(owner: string): string {
    return this.queues.key('by-owner', owner);
  }

  private cancelledKey(id: string): string {
    return this.queues.key('cancelled', id);
  }
}
