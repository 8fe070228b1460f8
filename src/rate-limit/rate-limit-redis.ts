import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { slotTag } from '../redis/cluster-keys.util.js';
import { defineScripts } from '../redis/define-scripts.util.js';
import { withTimeout } from '../redis/with-timeout.util.js';
import { EXACT_WINDOW_SCRIPT, SYNC_WINDOWS_SCRIPT } from './rate-limit.scripts.js';

export interface SyncRequest {
  redisKey: string;
  windowMs: number;
  limit: number;
  pushed: number;
  want: 0 | 1;
}

export interface WindowResult {
  count: number;
  admitted: boolean;
  resetAt: number;
}

type ScriptClient = Redis & {
  strataRateExact(
    key: string,
    now: number,
    windowMs: number,
    limit: number,
    member: string,
  ): Promise<number[]>;
  strataRateSync(keyCount: number, ...args: (string | number)[]): Promise<number[]>;
};

/**
 * The limiter's view of the cache Redis: two scripts (EVALSHA, loaded on first use) on the fail-fast
 * client, each call bounded by RATE_LIMIT_REDIS_TIMEOUT_MS. Any failure returns undefined and marks Redis
 * unavailable: callers then count in memory. One warning when that starts, one line when Redis is back.
 */
export class RateLimitRedis {
  private readonly logger = new Logger('RateLimiter');
  /** Unique per process, so members written by two instances in the same millisecond never collide. */
  readonly instanceId = randomBytes(6).toString('base64url');
  private seq = 0;
  private down = false;
  private readonly client: ScriptClient;
  /**
   * `strata:ratelimit:`; on a Redis Cluster `strata:{ratelimit}:`: one sync script reads the instance set
   * and up to 200 windows, which must share a slot (so all the limiter's keys sit on one master).
   */
  readonly keyPrefix: string;
  private readonly instancesKey: string;

  constructor(
    client: Redis,
    private readonly timeoutMs: number,
    private readonly heartbeatTtlMs: number,
  ) {
    this.keyPrefix = `strata:${slotTag(client, 'ratelimit')}:`;
    this.instancesKey = `${this.keyPrefix}instances`;
    this.client = defineScripts<ScriptClient>(client, {
      strataRateExact: { numberOfKeys: 1, lua: EXACT_WINDOW_SCRIPT },
      strataRateSync: { lua: SYNC_WINDOWS_SCRIPT },
    });
  }

  /** False while an outage is known, so a request never waits on a dead Redis. */
  get available(): boolean {
    return !this.down && this.client.status === 'ready';
  }

  async exact(
    redisKey: string,
    limit: number,
    windowMs: number,
    now: number,
  ): Promise<WindowResult | undefined> {
    const member = `${this.instanceId}:${++this.seq}`;
    const reply = await this.call(() => this.client.strataRateExact(redisKey, now, windowMs, limit, member));
    return reply && { admitted: reply[0] === 1, count: reply[1], resetAt: reply[2] };
  }

  /** Pushes counts and reads totals; also the heartbeat. `instances` is the number of live instances. */
  async sync(
    requests: readonly SyncRequest[],
    now: number,
  ): Promise<{ instances: number; results: WindowResult[] } | undefined> {
    const args: (string | number)[] = [this.instancesKey, ...requests.map((r) => r.redisKey)];
    args.push(now, this.instanceId, this.heartbeatTtlMs);
    for (const r of requests)
      args.push(r.windowMs, r.limit, r.pushed, r.want, `${this.instanceId}:${++this.seq}`);
    const reply = await this.call(() => this.client.strataRateSync(requests.length + 1, ...args));
    if (!reply) return undefined;
    const results: WindowResult[] = [];
    for (let i = 1; i < reply.length; i += 3) {
      results.push({ count: reply[i], admitted: reply[i + 1] === 1, resetAt: reply[i + 2] });
    }
    return { instances: Math.max(1, reply[0]), results };
  }

  /** While down: tries a sync-sized call only when the client says it is connected again. */
  get recovering(): boolean {
    return this.down && this.client.status === 'ready';
  }

  private async call<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (this.client.status !== 'ready') {
      this.markDown(`connection ${this.client.status}`);
      return undefined;
    }
    try {
      const result = await withTimeout(work(), this.timeoutMs);
      if (this.down) {
        this.down = false;
        this.logger.log('Redis is back: rate limits are shared across instances again');
      }
      return result;
    } catch (err) {
      this.markDown((err as Error).message);
      return undefined;
    }
  }

  private markDown(reason: string): void {
    if (this.down) return;
    this.down = true;
    this.logger.warn(
      `Redis unavailable for rate limits (${reason}): counting per instance in memory until it is back`,
    );
  }
}
