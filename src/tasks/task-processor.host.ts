import { WorkerHost } from '@nestjs/bullmq';
import { type Job, type RateLimiterOptions, UnrecoverableError } from 'bullmq';
import type { z } from 'zod';
import { CANCELLED_REASON, type TaskJobData } from './task-job.js';
import { taskIdOf } from './task-id.js';
import type { TaskType } from './task-type.js';

/** A failure that no retry can fix (bad input found late, a provider's 4xx): the task fails at once. */
export class PermanentTaskError extends UnrecoverableError {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentTaskError';
  }
}

/**
 * What runs around a job that belongs to a pipeline (`job.data.pipeline`): it resolves the job's bound
 * input, may answer with a ready result instead (the handler is then not called), and records the result.
 * Provided under TASK_RUN_HOOK by the pipelines module; TaskWorkers hands it to every processor.
 */
export interface TaskRunHook {
  start(
    task: TaskType,
    job: Job<TaskJobData>,
  ): Promise<{ result: unknown } | { input: unknown; done(result: unknown): Promise<void> }>;
}

export const TASK_RUN_HOOK = Symbol('TASK_RUN_HOOK');

export interface TaskContext {
  /** The public id, `<type>.<job id>`. */
  taskId: string;
  owner: string;
  job: Job<TaskJobData>;
  /** Aborted when a client cancels the task; long work should check it between steps. */
  signal?: AbortSignal;
  progress(pct: number): Promise<void>;
}

/**
 * Base of every task `@Processor`: validates the stored input again (it may predate a schema change),
 * gives the handler its context, and turns a cancellation into a failure that is not retried.
 */
export abstract class TaskProcessorHost<T extends TaskType, Result = unknown> extends WorkerHost {
  abstract readonly task: T;
  /**
   * A provider's quota (e.g. LLM_MAX_PER_MINUTE): BullMQ's queue rate limiter, counted in Redis, so it
   * holds across every worker process. Read once, when the worker is made.
   */
  readonly limiter?: RateLimiterOptions;
  /** Set by TaskWorkers when the pipelines module is loaded. */
  runHook?: TaskRunHook;

  protected abstract handle(input: z.output<T['input']>, context: TaskContext): Promise<Result>;

  // Three declared parameters: BullMQ passes an AbortSignal only to processors whose arity says they take one.
  async process(job: Job<TaskJobData>, _token?: string, signal?: AbortSignal): Promise<Result> {
    const taskId = taskIdOf(this.task.type, job.id!);
    let input: unknown = job.data.input;
    let done: ((result: unknown) => Promise<void>) | undefined;
    if (job.data.pipeline) {
      if (!this.runHook) throw new PermanentTaskError('this worker cannot run pipeline steps');
      const start = await this.runHook.start(this.task, job);
      if ('result' in start) return start.result as Result;
      ({ input, done } = start);
    }
    const parsed = this.task.input.safeParse(input);
    if (!parsed.success) throw new PermanentTaskError(`invalid input: ${parsed.error.issues[0]?.message}`);
    const context: TaskContext = {
      taskId,
      owner: job.data.owner,
      job,
      signal,
      progress: (pct) => job.updateProgress(pct),
    };
    const work = this.handle(parsed.data as z.output<T['input']>, context);
    const result = await (signal ? Promise.race([work, aborted(signal)]) : work);
    await done?.(result);
    return result;
  }
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, fail) => {
    // Only a client's cancel is final; any other abort is an ordinary failure that may be retried.
    const stop = () =>
      fail(
        signal.reason === CANCELLED_REASON ? new UnrecoverableError(CANCELLED_REASON) : new Error('aborted'),
      );
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}
