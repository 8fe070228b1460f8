import { WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { type Job, type RateLimiterOptions, UnrecoverableError, type Worker } from 'bullmq';
import type { z } from 'zod';
import { TaskCancellation } from './task-cancellation.js';
import type { TaskJobData } from './task-job.js';
import { taskIdOf } from './task-id.js';
import type { TaskResult, TaskType } from './task-type.js';
import { problemsOf, unknownFields } from './validation-details.js';

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
  readonly signal: AbortSignal;
  progress(pct: number): Promise<void>;
}

/**
 * Base of every task `@Processor`: validates the stored input again (it may predate a schema change),
 * gives the handler its context, and turns a cancellation (`cancel`) into a failure that is not retried.
 */
export abstract class TaskProcessorHost<
  T extends TaskType,
  Result extends TaskResult<T> = TaskResult<T>,
> extends WorkerHost {
  abstract readonly task: T;
  /**
   * A provider's quota (e.g. LLM_MAX_PER_MINUTE): BullMQ's queue rate limiter, counted in Redis, so it
   * holds across every worker process. Read once, when the worker is made.
   */
  readonly limiter?: RateLimiterOptions;
  /** Set by TaskWorkers when the pipelines module is loaded. */
  runHook?: TaskRunHook;
  /** On a Redis Cluster, the second Worker TaskWorkers runs this processor in, for flow jobs. */
  flowWorker?: Worker<TaskJobData>;
  /**
   * Set by TaskWorkers: whether a result that does not match the type's `output` schema fails the task
   * (outside production, so tests catch it) or is only logged (production: the work is done, e.g. a mail
   * sent, and failing it would invite a retry).
   */
  strictResults = true;
  private warnedResult = false;
  private readonly logger = new Logger(TaskProcessorHost.name);
  private readonly running = new Map<string, TaskCancellation>();

  protected abstract handle(input: z.output<T['input']>, context: TaskContext): Promise<Result>;

  /** Stops a job this processor is running; false if it runs no such job. */
  cancel(jobId: string): boolean {
    const run = this.running.get(jobId);
    run?.cancel();
    return run !== undefined;
  }

  // One declared parameter: BullMQ makes an AbortController per job for a processor that takes three.
  async process(job: Job<TaskJobData>): Promise<Result> {
    const cancellation = new TaskCancellation();
    this.running.set(job.id!, cancellation);
    try {
      return await this.run(job, cancellation);
    } finally {
      this.running.delete(job.id!);
    }
  }

  private async run(job: Job<TaskJobData>, cancellation: TaskCancellation): Promise<Result> {
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
      taskId: taskIdOf(this.task.type, job.id!),
      owner: job.data.owner,
      job,
      get signal() {
        return cancellation.signal;
      },
      progress: (pct) => job.updateProgress(pct),
    };
    const result = await cancellation.guard(this.handle(parsed.data as z.output<T['input']>, context));
    this.checkResult(result);
    await done?.(result);
    return result;
  }

  /** The document promises clients the type's `output` schema: a result outside it is a bug here. */
  private checkResult(result: Result): void {
    const checked = this.task.output.safeParse(result);
    // zod drops fields a schema does not declare: a result carrying one is outside the schema all the same.
    const issue = checked.success
      ? unknownFields(result, checked.data, 'result')[0]
      : problemsOf(checked.error, 'result')[0];
    if (!issue) return;
    const problem = `the ${this.task.type} result does not match its output schema: ${issue.field}: ${issue.message}`;
    if (this.strictResults) throw new PermanentTaskError(problem);
    if (!this.warnedResult) this.logger.error(problem);
    this.warnedResult = true;
  }
}
