import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  Optional,
  type Type,
} from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { BullRegistrar, Processor, WorkerHost } from '@nestjs/bullmq';
import { type RateLimiterOptions, Worker, type WorkerOptions } from 'bullmq';
import { APP_CONFIG } from '../config/app-config.token.js';
import { ConfigError } from '../config/config-error.js';
import { concurrencyVariableOf } from '../config/queue.config.js';
import type { AppConfig } from '../config/load-config.js';
import type { RedisClient } from '../redis/redis-client.js';
import { closeRedis } from '../redis/close-redis.util.js';
import { RedisConnectionsService } from '../redis/redis-connections.service.js';
import { TaskIndex } from './task-index.service.js';
import { TASK_RUN_HOOK, TaskProcessorHost, type TaskRunHook } from './task-processor.host.js';
import { CANCELLED_REASON, type TaskJobData } from './task-job.js';
import { taskIdOf } from './task-id.js';
import { TaskQueues } from './task-queues.service.js';
import { TaskRegistry } from './task-registry.service.js';
import type { TaskType } from './task-type.js';

// Where `@Processor` keeps its options (not exported by @nestjs/bullmq; stable across its releases).
const PROCESSOR_METADATA = 'bullmq:processor_metadata';

/**
 * Starts the workers of the worker/all roles. It checks first that every registered type has exactly one
 * `@Processor` (and no processor serves an unknown queue), then gives each processor its options from
 * config (concurrency, lock and stall timings can only be set when a Worker is made) and lets
 * @nestjs/bullmq's explorer create the workers. On shutdown, workers get SHUTDOWN_GRACE_MS to finish
 * their jobs; after that their locks lapse and another worker takes the jobs over as stalled.
 */
@Injectable()
export class TaskWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TaskWorkers.name);
  private readonly workers = new Map<string, Worker<TaskJobData>>();
  /** On a Redis Cluster, the workers of the types' flow queues (see TaskQueues), by queue. */
  private readonly flowWorkers = new Map<string, Worker<TaskJobData>>();
  /** The processors that are TaskProcessorHosts, which cancel their own jobs, by queue. */
  private readonly hosts = new Map<string, TaskProcessorHost<TaskType>>();
  private subscriber?: RedisClient;
  private flowConnection?: RedisClient;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly registry: TaskRegistry,
    private readonly registrar: BullRegistrar,
    private readonly connections: RedisConnectionsService,
    private readonly index: TaskIndex,
    private readonly queues: TaskQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(TASK_RUN_HOOK) private readonly runHook?: TaskRunHook,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const processors = this.processorsByQueue();
    this.configure(processors);
    this.registrar.register();
    for (const [queue, [instance]] of processors) {
      const worker = (instance as WorkerHost).worker as Worker<TaskJobData>;
      worker.on('error', (err) => this.logger.debug(`worker ${queue}: ${err.message}`));
      // Runs of a schedule are made by BullMQ, not by our producer: list them once they start.
      worker.on('active', (job) => {
        if (job.data.schedule)
          void this.index.add(job.data.owner, taskIdOf(queue, job.id!), job.timestamp).catch(() => undefined);
      });
      this.workers.set(queue, worker);
      if (instance instanceof TaskProcessorHost) this.hosts.set(queue, instance);
      if (this.queues.redis.isCluster) this.startFlowWorker(queue, instance as WorkerHost, worker);
    }
    this.listenForCancels();
    this.logger.log(`processing ${[...this.workers.keys()].join(', ')}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.subscriber) await closeRedis(this.subscriber);
    // With the queue Redis gone there are no locks to release and no jobs that can finish: a graceful
    // close would wait forever on a QUIT that never gets an answer, so drop the connections at once.
    const queueUp = this.queues.redis.status === 'ready';
    const all = [...this.workers.values(), ...this.flowWorkers.values()];
    const closing = Promise.all(all.map((worker) => worker.close(!queueUp)));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>((done) => {
      timer = setTimeout(() => done('late'), this.config.server.shutdownGraceMs);
    });
    const outcome = await Promise.race([closing, grace]);
    clearTimeout(timer);
    if (outcome === 'late') {
      this.logger.warn(
        `jobs still active after ${this.config.server.shutdownGraceMs} ms; leaving them to stall over`,
      );
      await Promise.allSettled(all.map((worker) => worker.disconnect()));
    }
    if (this.flowConnection) await closeRedis(this.flowConnection);
  }

  /**
   * A second Worker of the same processor, on the type's flow queue, with the options the explorer gave
   * the first (they are the processor's, set in `configure`). Its jobs are the type's tasks like any
   * other: cancelled, counted and listed the same way.
   */
  private startFlowWorker(queue: string, host: WorkerHost, own: Worker<TaskJobData>): void {
    this.flowConnection ??= this.connections.open('queue-worker');
    const options: WorkerOptions = {
      ...(own.opts as WorkerOptions),
      connection: this.flowConnection,
      prefix: this.queues.flowPrefix,
    };
    const worker = new Worker<TaskJobData>(queue, (job, token) => host.process(job, token), options);
    worker.on('error', (err) => this.logger.debug(`flow worker ${queue}: ${err.message}`));
    this.flowWorkers.set(queue, worker);
    if (host instanceof TaskProcessorHost) host.flowWorker = worker;
  }

  private processorsByQueue(): Map<string, object[]> {
    const byQueue = new Map<string, object[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const cls = (wrapper.metatype && !wrapper.inject ? wrapper.metatype : wrapper.instance?.constructor) as
        Type | undefined;
      const meta = cls && this.reflector.get<{ name?: string }>(PROCESSOR_METADATA, cls);
      if (!meta?.name) continue;
      byQueue.set(meta.name, [...(byQueue.get(meta.name) ?? []), wrapper.instance]);
    }
    const problems: string[] = [];
    for (const [type, task] of this.registry.all()) {
      const count = byQueue.get(task.queueName)?.length ?? 0;
      if (count !== 1)
        problems.push(`task type "${type}" has ${count === 0 ? 'no' : count} processors (needs exactly one)`);
    }
    for (const queue of byQueue.keys()) {
      if (![...this.registry.all().values()].some((t) => t.queueName === queue)) {
        problems.push(`a @Processor serves queue "${queue}", which no registered task type uses`);
      }
    }
    if (problems.length > 0)
      throw new Error(`cannot start the task workers:\n  - ${problems.join('\n  - ')}`);
    return byQueue;
  }

  /** A `<TYPE>_CONCURRENCY` that names no registered type would be ignored silently: stop instead. */
  private checkConcurrencyVariables(): void {
    const unknown = Object.keys(this.config.queue.concurrency).filter((type) => !this.registry.get(type));
    if (unknown.length === 0) return;
    const known = [...this.registry.all().keys()].map(concurrencyVariableOf).join(', ');
    throw new ConfigError(
      unknown.map(
        (type) => `${concurrencyVariableOf(type)}: no task type "${type}" is registered (known: ${known})`,
      ),
    );
  }

  private configure(processors: Map<string, object[]>): void {
    this.checkConcurrencyVariables();
    const q = this.config.queue;
    for (const [queue, [instance]] of processors) {
      const task = this.registry.get(queue)!;
      if (instance instanceof TaskProcessorHost) {
        instance.runHook = this.runHook;
        instance.strictResults = !this.config.server.isProduction;
      }
      Processor(queue, {
        concurrency: q.concurrency[task.type] ?? task.concurrency,
        lockDuration: q.lockDurationMs || task.lockDurationMs,
        stalledInterval: q.stalledIntervalMs,
        maxStalledCount: q.maxStalledCount,
        prefix: this.queues.prefixOf(queue),
        limiter: (instance as { limiter?: RateLimiterOptions }).limiter,
      })(instance.constructor);
    }
  }

  /** DELETE on an active task publishes its id; the worker running it aborts it. */
  private listenForCancels(): void {
    this.subscriber = this.connections.open('subscriber');
    this.subscriber.on('message', (_channel: string, message: string) => {
      try {
        const { type, jobId } = JSON.parse(message) as { type: string; jobId: string };
        // Any other WorkerHost gets BullMQ's own signal, if its process() takes one.
        if (!this.hosts.get(type)?.cancel(jobId)) {
          this.workers.get(type)?.cancelJob(jobId, CANCELLED_REASON);
          this.flowWorkers.get(type)?.cancelJob(jobId, CANCELLED_REASON);
        }
      } catch {
        // not one of ours
      }
    });
    // Not awaited: with Redis down at start, the subscription is made once it is back.
    void this.subscriber.subscribe(this.queues.key('cancel')).catch((err: Error) => {
      this.logger.warn(
        `cancel channel unavailable (${err.message}); running tasks cannot be stopped until it is back`,
      );
    });
  }
}
