import { createHash } from 'node:crypto';
import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { TaskQueues } from './task-queues.service.js';

/** JSON with object keys sorted, so the same body always hashes the same however its keys were ordered. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `Idempotency-Key`: the first request with a key claims it for a task id (SET NX); a retry with the same
 * body gets that id back, a different body a 409. Keys are per owner, so one client cannot probe another's.
 */
@Injectable()
export class IdempotencyStore {
  constructor(
    private readonly queues: TaskQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Returns the task id this request is for: `proposedId` if the key is new, else the one it claimed. */
  async claim(owner: string, key: string, request: unknown, proposedId: string): Promise<string> {
    const redisKey = this.queues.key('idempotency', owner, sha256(key));
    const body = sha256(canonical(request));
    const claimed = await this.queues.redis.set(
      redisKey,
      JSON.stringify({ id: proposedId, body }),
      'EX',
      this.config.queue.idempotencyTtlS,
      'NX',
    );
    if (claimed === 'OK') return proposedId;
    const existing = JSON.parse((await this.queues.redis.get(redisKey)) ?? 'null') as {
      id: string;
      body: string;
    } | null;
    // Expired between the two calls: the key is free again, and this request takes it.
    if (!existing) return this.claim(owner, key, request, proposedId);
    if (existing.body !== body) {
      throw new ConflictException('this Idempotency-Key was already used with a different request');
    }
    return existing.id;
  }
}
