import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import type { RedisClient } from '../redis/redis-client.js';
import { RedisConnectionsService } from '../redis/redis-connections.service.js';
import type { FoundTask } from './task-store.service.js';
import { TaskStore } from './task-store.service.js';
import { TaskQueues } from './task-queues.service.js';
import { isFinished, type TaskView } from './task-view.js';
import { eventFrame, openEventStream } from '../http/event-stream.util.js';

type Send = (event: string, data: unknown) => void;

/**
 * `GET /v1/tasks/:id/events` as Server-Sent Events, fed by BullMQ's events stream in Redis, so any API
 * instance can follow any task. One `QueueEvents` per queue per process, made on first use.
 */
@Injectable()
export class TaskEventsService implements OnModuleDestroy {
  private readonly logger = new Logger(TaskEventsService.name);
  private readonly queueEvents = new Map<string, Promise<QueueEvents>>();
  private readonly open = new Set<() => void>();
  private template?: RedisClient;

  constructor(
    private readonly connections: RedisConnectionsService,
    private readonly store: TaskStore,
    private readonly queues: TaskQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Takes over the reply: the caller has already checked that the task exists and is the client's. */
  async stream(found: FoundTask, reply: FastifyReply): Promise<void> {
    // The queue the job is in: on a Redis Cluster a pipeline step's is its type's flow queue.
    const queues = this.queues.queuesOf(found.task.queueName);
    const queue = queues.find((q) => q.qualifiedName === found.job?.queueQualifiedName) ?? queues[0];
    const events = await this.eventsFor(queue.name, queue.opts.prefix!);
    const jobId = found.job?.id;
    const raw = openEventStream(reply);
    let ended = false;
    const send: Send = (event, data) => {
      if (!ended) raw.write(eventFrame(event, data));
    };
    const finish = (view?: TaskView) => {
      if (ended) return;
      if (view) send(view.state === 'completed' ? 'completed' : 'failed', view);
      ended = true;
      cleanup();
      raw.end();
    };
    // A terminal event is re-read as a view, so `failed` after a retryable attempt does not end the stream.
    const recheck = async () => {
      try {
        const now = await this.store.find(found.view.id);
        if (!now || isFinished(now.view.state)) finish(now?.view ?? { ...found.view, state: 'cancelled' });
      } catch {
        // Redis is briefly away: the next event or heartbeat looks again.
      }
    };
    const mine =
      (handler: (args: { jobId: string } & Record<string, unknown>) => void) => (args: { jobId: string }) => {
        if (args.jobId === jobId) handler(args as { jobId: string } & Record<string, unknown>);
      };
    const onProgress = mine((args) => send('progress', { id: found.view.id, progress: args.data }));
    const onEnd = mine(() => void recheck());
    const heartbeat = setInterval(() => {
      if (!ended) raw.write(': heartbeat\n\n');
      void recheck();
    }, this.config.queue.eventsHeartbeatMs);
    const cleanup = () => {
      clearInterval(heartbeat);
      events.off('progress', onProgress);
      for (const name of ['completed', 'failed', 'removed'] as const) events.off(name, onEnd);
      this.open.delete(finish);
    };
    events.on('progress', onProgress);
    for (const name of ['completed', 'failed', 'removed'] as const) events.on(name, onEnd);
    this.open.add(finish);
    raw.on('close', () => finish());

    // Listening first, then reading the state: an end between the two is seen either way.
    send('state', found.view);
    if (isFinished(found.view.state)) finish(found.view);
    else await recheck();
  }

  private eventsFor(queueName: string, prefix: string): Promise<QueueEvents> {
    const key = `${prefix}:${queueName}`;
    let events = this.queueEvents.get(key);
    if (!events) {
      events = this.createEvents(queueName, prefix);
      this.queueEvents.set(key, events);
      events.catch(() => this.queueEvents.delete(key));
    }
    return events;
  }

  private async createEvents(queueName: string, prefix: string): Promise<QueueEvents> {
    // QueueEvents blocks on XREAD, so it duplicates this patient connection rather than use the producers'.
    this.template ??= this.connections.open('queue-worker');
    const events = new QueueEvents(queueName, { connection: this.template, prefix });
    events.on('error', (err) => this.logger.debug(`queue events for ${queueName}: ${err.message}`));
    events.setMaxListeners(0);
    await events.waitUntilReady();
    return events;
  }

  /** Streams would hold the HTTP server open on shutdown: end them before it closes. */
  async onModuleDestroy(): Promise<void> {
    for (const finish of this.open) finish();
    const all = await Promise.allSettled(this.queueEvents.values());
    this.queueEvents.clear();
    await Promise.allSettled(all.flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])));
  }
}
