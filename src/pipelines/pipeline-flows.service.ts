import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type FlowJob, FlowProducer } from 'bullmq';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { parseTaskId } from '../tasks/task-id.js';
import type { TaskJobData } from '../tasks/task-job.js';
import { TaskQueues } from '../tasks/task-queues.service.js';
import type { RunDoc, StepRecord } from './pipeline-run.js';

/**
 * Queues a run's steps as one BullMQ flow. A flow is a tree (a job has one parent), so the steps go in as
 * a chain in topological order, each the child of the next: right for every DAG, at the price of running
 * independent steps one after another. `failParentOnFailure` makes a failed step fail every step above it,
 * so no run waits forever on a failed child.
 */
@Injectable()
export class PipelineFlows implements OnApplicationShutdown {
  private producer?: FlowProducer;

  constructor(
    private readonly queues: TaskQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `steps` in run order, each with its `taskId` (job id known up front) already recorded. */
  async addChain(doc: RunDoc, steps: StepRecord[]): Promise<void> {
    const { attempts, backoffMs, removeOnComplete, removeOnFail } = this.config.queue;
    // The queue's own connection: ready and fail-fast (ESM gives BullMQ no way to build a client itself).
    // The steps go to their types' flow queues, which share one slot on a Redis Cluster (TaskQueues).
    this.producer ??= this.makeProducer(this.queues.flowPrefix);
    const timestamp = Date.now();
    let chain: FlowJob | undefined;
    for (const step of steps) {
      const data: TaskJobData = {
        input: step.input,
        owner: doc.owner,
        pipeline: {
          run: doc.id,
          step: step.id,
          gen: step.gen,
          bind: step.bind,
          cache: doc.mode === 'development',
        },
      };
      chain = {
        name: step.type,
        queueName: step.type,
        data,
        // A FlowProducer does not apply a Queue's defaultJobOptions: the tasks' own, given explicitly.
        opts: {
          jobId: parseTaskId(step.taskId!)!.jobId,
          attempts,
          backoff: { type: 'exponential', delay: backoffMs },
          removeOnComplete,
          removeOnFail,
          timestamp,
        },
        children: chain ? [{ ...chain, opts: { ...chain.opts, failParentOnFailure: true } }] : undefined,
      };
    }
    if (chain) await this.producer.add(chain);
  }

  private makeProducer(prefix: string): FlowProducer {
    const producer = new FlowProducer({ connection: this.queues.redis, prefix });
    producer.on('error', () => undefined);
    return producer;
  }

  async onApplicationShutdown(): Promise<void> {
    // The connection is shared: closing the producer leaves it to RedisConnectionsService.
    await this.producer?.close().catch(() => undefined);
  }
}
