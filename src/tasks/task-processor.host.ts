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

  protected abstract handle(input: z.output<T['input']>, context: TaskContext): Promise<Result>;

  // Three declared parameters: BullMQ passes an AbortSignal only to processors whose arity says they take one.
  async process(job: Job<TaskJobData>, _token?: string, signal?: AbortSignal): Promise<Result> {
    const taskId = taskIdOf(this.task.type, job.id!);
    const parsed = this.task.input.safeParse(job.data.input);
    if (!parsed.success) throw new PermanentTaskError(`invalid input: ${parsed.error.issues[0]?.message}`);
    const context: TaskContext = {
      taskId,
      owner: job.data.owner,
      job,
      signal,
      progress: (pct) => job.updateProgress(pct),
    };
    const work = this.handle(parsed.data as z.output<T['input']>, context);
    if (!signal) return work;
    return Promise.race([work, aborted(signal)]);
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
