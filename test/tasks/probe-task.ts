import { Module } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { z } from 'zod';
import {
  PermanentTaskError,
  type TaskContext,
  TaskProcessorHost,
} from '../../src/tasks/task-processor.host.js';
import { TaskTypeModule } from '../../src/tasks/task-type.module.js';
import { defineTask } from '../../src/tasks/task-type.js';

/** A task type defined in test code alone: proof that registering a type needs nothing in src/. */
export const probeTask = defineTask({
  type: 'probe',
  input: z.object({
    mode: z.enum(['ok', 'flaky', 'fatal', 'slow', 'progress']),
    tag: z.string().max(40).optional(),
    failTimes: z.number().int().min(0).max(5).default(0),
    sleepMs: z.number().int().min(0).max(30_000).default(0),
  }),
  output: z.object({ tag: z.string(), pid: z.number().int() }),
  lockDurationMs: 5_000,
  concurrency: 1,
});

/** What the probe saw, for assertions: run order by tag, attempt start times by tag. */
export const probeLog = { order: [] as string[], attempts: new Map<string, number[]>() };

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((done) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', () => clearTimeout(timer), { once: true });
  });

@Processor(probeTask.queueName)
export class ProbeProcessor extends TaskProcessorHost<typeof probeTask> {
  readonly task = probeTask;

  protected async handle(input: z.output<typeof probeTask.input>, context: TaskContext) {
    const tag = input.tag ?? context.taskId;
    probeLog.order.push(tag);
    probeLog.attempts.set(tag, [...(probeLog.attempts.get(tag) ?? []), Date.now()]);
    switch (input.mode) {
      case 'fatal':
        throw new PermanentTaskError('the probe cannot succeed');
      case 'flaky':
        if (context.job.attemptsMade < input.failTimes)
          throw new Error(`flaky failure ${context.job.attemptsMade + 1}`);
        break;
      case 'progress':
        for (const pct of [25, 50, 75]) {
          await context.progress(pct);
          await sleep(input.sleepMs);
        }
        break;
      default:
        await sleep(input.sleepMs, context.signal);
    }
    return { tag, pid: process.pid };
  }
}

@Module({ providers: [ProbeProcessor] })
export class ProbeProcessorModule {}

export const probeTaskModule = () => TaskTypeModule.register(probeTask, ProbeProcessorModule);
