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

/** A step type for pipeline tests: counts its handler's calls by label, echoes `value`, fails on request. */
export const countTask = defineTask({
  type: 'count',
  input: z.object({
    label: z.string().max(40),
    value: z.string().max(200).optional(),
    fail: z.boolean().default(false),
  }),
  output: z.object({ label: z.string(), value: z.string().nullable(), pid: z.number().int() }),
  lockDurationMs: 5_000,
  concurrency: 1,
});

export const countCalls = new Map<string, number>();

@Processor(countTask.queueName)
export class CountProcessor extends TaskProcessorHost<typeof countTask> {
  readonly task = countTask;

  protected async handle(input: z.output<typeof countTask.input>, _context: TaskContext) {
    countCalls.set(input.label, (countCalls.get(input.label) ?? 0) + 1);
    if (input.fail) throw new PermanentTaskError(`${input.label} was told to fail`);
    return { label: input.label, value: input.value ?? null, pid: process.pid };
  }
}

@Module({ providers: [CountProcessor] })
export class CountProcessorModule {}

export const countTaskModule = () => TaskTypeModule.register(countTask, CountProcessorModule);
