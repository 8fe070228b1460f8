// The bench's own task type, registered from outside src/ as any extension would be: a no-op.
import { Module } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { z } from 'zod';
import { TaskProcessorHost } from '../../dist/tasks/task-processor.host.js';
import { TaskTypeModule } from '../../dist/tasks/task-type.module.js';
import { defineTask } from '../../dist/tasks/task-type.js';

export const noopTask = defineTask({
  type: 'noop',
  input: z.object({}),
  output: z.null(),
  lockDurationMs: 30_000,
  concurrency: 50,
});

/** Marks its first job (`onFirst`'s answer, kept in `started`; the bench sets it to its startMark). */
export const noopStats = { onFirst: () => ({ at: performance.now() }), started: undefined };

export class NoopProcessor extends TaskProcessorHost {
  task = noopTask;
  async handle() {
    noopStats.started ??= noopStats.onFirst();
    return null;
  }
}
Processor(noopTask.queueName)(NoopProcessor);

export class NoopProcessorModule {}
Module({ providers: [NoopProcessor] })(NoopProcessorModule);

/** Definition only (the api role), or with its processor (the worker role). */
export const noopTaskModule = (withProcessor) =>
  TaskTypeModule.register(noopTask, withProcessor ? NoopProcessorModule : undefined);
