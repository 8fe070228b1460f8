import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import type { RedisClient } from '../redis/redis-client.js';
import { QUEUE_REDIS } from '../redis/redis.constants.js';
import { waitForReplicas } from '../redis/replica-acks.util.js';
import { slotTag } from '../redis/cluster-keys.util.js';
import { QueueUnavailableException } from './queue-unavailable.exception.js';
import { ReplicasUnconfirmedException } from './replicas-unconfirmed.exception.js';
import type { TaskJobData } from './task-job.js';
import { corkForTurn } from '../redis/cork-for-turn.util.js';
import { TimeoutError, withTimeout } from '../redis/with-timeout.util.js';

// What ioredis says when a fail-fast command cannot be sent or gets no answer in time; READONLY is a
// write that reached a master Sentinel has just demoted (the connection then moves to the new one).
const CONNECTION_ERROR =
  /writeable|timed out|Connection is closed|ECONNREFUSED|ECONNRESET|EPIPE|MaxRetriesPerRequest|READONLY|sentinels are unreachable/i;

/**
 * One producer `Queue` per task type, made on first use, all sharing the fail-fast `queue` connection.
 * Not registered through `BullModule.registerQueue`: its explorer would hand that connection to the
 * workers, which need the patient `queue-worker` one.
 *
 * On a Redis Cluster every queue has its own hash tag (`<prefix>:{<type>}`): BullMQ's scripts touch many
 * keys of one queue, which must share a slot, and one tag per queue spreads the queues over the masters.
 * The jobs of a flow that spans queues must all share one slot too (taskforcesh/bullmq#2589), so there a
 * type also has a flow queue under `<prefix>:{flows}`, worked by the same processor. Elsewhere both are
 * the plain prefix: one queue per type, with the key names it always had.
 */
@Injectable()
export class TaskQueues implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue<TaskJobData>>();
  private readonly flowQueues = new Map<string, Queue<TaskJobData>>();

  constructor(
    @Inject(QUEUE_REDIS) readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get(type: string): Queue<TaskJobData> {
    return this.queueIn(this.queues, type, this.prefixOf(type));
  }

  /** The queue a type's flow jobs (pipeline steps) go to: on a Cluster not `get(type)`, elsewhere the same. */
  flowQueue(type: string): Queue<TaskJobData> {
    return this.redis.isCluster ? this.queueIn(this.flowQueues, type, this.flowPrefix) : this.get(type);
  }

  /** Every queue a type's jobs may be in, its own first. */
  queuesOf(type: string): Queue<TaskJobData>[] {
    return this.redis.isCluster ? [this.get(type), this.flowQueue(type)] : [this.get(type)];
  }

  /** BullMQ prefix of a type's own queue. */
  prefixOf(type: string): string {
    const { prefix } = this.config.queue;
    return this.redis.isCluster ? `${prefix}:${slotTag(this.redis, type)}` : prefix;
  }

  /** BullMQ prefix of every flow queue: one slot for all the jobs of any flow. */
  get flowPrefix(): string {
    const { prefix } = this.config.queue;
    return this.redis.isCluster ? `${prefix}:${slotTag(this.redis, 'flows')}` : prefix;
  }

  private queueIn(queues: Map<string, Queue<TaskJobData>>, type: string, prefix: string): Queue<TaskJobData> {
    let queue = queues.get(type);
    if (!queue) {
      const { attempts, backoffMs, removeOnComplete, removeOnFail, eventsMaxLen } = this.config.queue;
      queue = new Queue<TaskJobData>(type, {
        connection: this.redis,
        prefix,
        defaultJobOptions: {
          attempts,
          backoff: { type: 'exponential', delay: backoffMs },
          removeOnComplete,
          removeOnFail,
        },
        streams: { events: { maxLen: eventsMaxLen } },
      });
      // Errors surface on the calls that hit them; the connection logs its own outage once.
      queue.on('error', () => undefined);
      queues.set(type, queue);
    }
    return queue;
  }

  /** The key prefix of every Strata-owned key beside the queues (indexes, idempotency keys). */
  key(...parts: string[]): string {
    return [this.config.queue.prefix, 'tasks', ...parts].join(':');
  }

  /**
   * Runs a producer-side Redis call so it can never hang a request: it fails at once while the connection
   * is down (a Queue made during an outage would otherwise wait for `ready`), and past ENQUEUE_TIMEOUT_MS.
   * Connection failures become 503 with Retry-After; other errors pass through.
   */
  call<T>(work: () => Promise<T>): Promise<T> {
    return this.run(work, false);
  }

  /** `call`, for writes that must also reach QUEUE_MIN_REPLICAS_ACK replicas (`WAIT`), or answer 503. */
  callDurably<T>(work: () => Promise<T>): Promise<T> {
    return this.run(work, true);
  }

  private async run<T>(work: () => Promise<T>, durable: boolean): Promise<T> {
    if (this.redis.status !== 'ready') throw new QueueUnavailableException();
    corkForTurn(this.redis);
    try {
      const done = durable ? work().then((result) => this.replicated(result)) : work();
      return await withTimeout(done, this.config.queue.enqueueTimeoutMs);
    } catch (err) {
      if (err instanceof TimeoutError) throw new QueueUnavailableException();
      if (CONNECTION_ERROR.test((err as Error)?.message ?? '')) throw new QueueUnavailableException();
      throw err;
    }
  }

  private async replicated<T>(result: T): Promise<T> {
    const { minReplicasAck, replicasAckTimeoutMs } = this.config.queue;
    if (minReplicasAck === 0) return result;
    const confirmed = await waitForReplicas(this.redis, minReplicasAck, replicasAckTimeoutMs);
    if (confirmed < minReplicasAck) throw new ReplicasUnconfirmedException(confirmed, minReplicasAck);
    return result;
  }

  async onApplicationShutdown(): Promise<void> {
    // The connection is shared, so closing a queue leaves it open; RedisConnectionsService quits it last.
    const all = [...this.queues.values(), ...this.flowQueues.values()];
    await Promise.allSettled(all.map((queue) => queue.close()));
    this.queues.clear();
    this.flowQueues.clear();
  }
}
