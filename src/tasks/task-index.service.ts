import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/app-config.token.js';
import { defineScripts } from '../redis/define-scripts.util.js';
import { slotTag } from '../redis/cluster-keys.util.js';
import type { AppConfig } from '../config/load-config.js';
import { TaskQueues } from './task-queues.service.js';
import type { TaskView } from './task-view.js';

export const ALL_OWNERS = '*';

const TRIM_EVERY_MS = 60_000;

/** KEYS: the owner's index, the all-owners index. ARGV: score, id, then per key a trim cutoff or ''. */
const INDEX_ADD_SCRIPT = `
redis.call('ZADD', KEYS[1], 'NX', ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], 'NX', ARGV[1], ARGV[2])
for i = 1, 2 do
  if ARGV[2 + i] ~= '' then redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[2 + i]) end
end
return 1`;

type IndexClient = Redis & {
  strataIndexAdd(
    ownerKey: string,
    allKey: string,
    score: number,
    id: string,
    trim1: string,
    trim2: string,
  ): Promise<number>;
};

/**
 * What BullMQ does not keep: which tasks belong to whom (a sorted set per owner, and one for admins, by
 * creation time), and cancelled tasks, whose jobs are removed from the queue. Entries older than the
 * longest retention are trimmed on every write; ones whose job retention already removed are dropped
 * lazily by the listing.
 */
@Injectable()
export class TaskIndex {
  private readonly trimmedAt = new Map<string, number>();
  private readonly redis: IndexClient;

  constructor(
    private readonly queues: TaskQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.redis = defineScripts<IndexClient>(queues.redis, {
      strataIndexAdd: { numberOfKeys: 2, lua: INDEX_ADD_SCRIPT },
    });
  }

  async add(owner: string, id: string, createdAt: number): Promise<void> {
    // One script call, one write to the socket: each command is a system call on both ends, and two
    // ZADDs cost more than BullMQ's own add (profiled). Not a pipeline: ioredis copies every script
    // defined on the connection (BullMQ's dozens) into each new one.
    const ownerKey = this.ownerKey(owner);
    const allKey = this.ownerKey(ALL_OWNERS);
    const cutoff = String(createdAt - this.retentionMs());
    await this.redis.strataIndexAdd(
      ownerKey,
      allKey,
      createdAt,
      id,
      this.trimDue(ownerKey, createdAt) ? cutoff : '',
      this.trimDue(allKey, createdAt) ? cutoff : '',
    );
  }

  /** Trimming at most once a minute per key keeps the usual add to the two ZADDs. */
  private trimDue(key: string, now: number): boolean {
    if (now - (this.trimmedAt.get(key) ?? 0) <= TRIM_EVERY_MS) return false;
    this.trimmedAt.set(key, now);
    return true;
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

  /** One slot for every owner's index on a Cluster: a task is added to two of them in one script. */
  private ownerKey(owner: string): string {
    return this.queues.key(slotTag(this.queues.redis, 'by-owner'), owner);
  }

  private cancelledKey(id: string): string {
    return this.queues.key('cancelled', id);
  }
}
