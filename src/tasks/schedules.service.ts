import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { checkInputSize } from './task-input-size.js';
import { TaskQueues } from './task-queues.service.js';
import { TaskRegistry } from './task-registry.service.js';
import { scheduleRequestSchema } from './task-request.dto.js';
import { invalidRequest, parseOrThrow } from './validation-details.js';

export interface ScheduleView {
  name: string;
  type: string;
  every?: number;
  cron?: string;
  tz?: string;
  next?: string;
}

/**
 * Repeating tasks through BullMQ job schedulers, one per name. Schedulers live in their type's queue; a
 * hash maps each name to its type so names are unique across types and a listing needs no scan.
 */
@Injectable()
export class SchedulesService {
  constructor(
    private readonly queues: TaskQueues,
    private readonly registry: TaskRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async put(principal: Principal, name: string, body: unknown): Promise<ScheduleView> {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
      throw invalidRequest([{ field: 'name', message: 'letters, digits, "_" and "-", at most 64' }]);
    }
    const request = parseOrThrow(scheduleRequestSchema, body);
    checkInputSize(request.input, this.config.security.taskInputMaxBytes);
    const task = this.registry.get(request.type);
    if (!task) throw invalidRequest([{ field: 'type', message: `unknown task type "${request.type}"` }]);
    const input = parseOrThrow(task.input, request.input, 'input');
    return this.queues.call(async () => {
      const previous = await this.queues.redis.hget(this.indexKey, name);
      if (previous && previous !== task.type) await this.queues.get(previous).removeJobScheduler(name);
      const repeat =
        request.every !== undefined ? { every: request.every } : { pattern: request.cron, tz: request.tz };
      try {
        await this.queues.get(task.queueName).upsertJobScheduler(name, repeat, {
          name: task.type,
          data: { input, owner: principal.id, schedule: name },
        });
      } catch (err) {
        // The cron parser's complaint about a bad pattern or zone.
        if (request.cron !== undefined)
          throw invalidRequest([{ field: 'cron', message: (err as Error).message }]);
        throw err;
      }
      await this.queues.redis.hset(this.indexKey, name, task.type);
      return (await this.view(name, task.type))!;
    });
  }

  list(): Promise<{ items: ScheduleView[] }> {
    return this.queues.call(async () => {
      const index = await this.queues.redis.hgetall(this.indexKey);
      const views = await Promise.all(Object.entries(index).map(([name, type]) => this.view(name, type)));
      return {
        items: views
          .filter((v): v is ScheduleView => v !== undefined)
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
    });
  }

  async remove(name: string): Promise<void> {
    await this.queues.call(async () => {
      const type = await this.queues.redis.hget(this.indexKey, name);
      if (!type) throw new NotFoundException(`no schedule ${name}`);
      if (this.registry.get(type)) await this.queues.get(type).removeJobScheduler(name);
      await this.queues.redis.hdel(this.indexKey, name);
    });
  }

  private async view(name: string, type: string): Promise<ScheduleView | undefined> {
    if (!this.registry.get(type)) return undefined;
    const scheduler = await this.queues.get(type).getJobScheduler(name);
    if (!scheduler) return undefined;
    const view: ScheduleView = { name, type };
    if (scheduler.every) view.every = Number(scheduler.every);
    if (scheduler.pattern) view.cron = scheduler.pattern;
    if (scheduler.tz) view.tz = scheduler.tz;
    if (scheduler.next) view.next = new Date(scheduler.next).toISOString();
    return view;
  }

  private get indexKey(): string {
    return this.queues.key('schedules');
  }
}
