import type { z } from 'zod';

/** A field of the input that names another task of the caller's, which must have completed. */
export interface TaskReference {
  /** Top-level input field holding the task id, e.g. `fromTask`. */
  field: string;
  /** The type the referenced task must have. */
  type: string;
}

export interface TaskTypeOptions<Schema extends z.ZodType, Output extends z.ZodType> {
  /** Also the queue's name: lowercase letters, digits and "-" (the public task id is `<type>.<job id>`). */
  type: string;
  /** One line for the document: what the task does. */
  summary?: string;
  /** What a client may send as `input`; fields it does not declare are refused. */
  input: Schema;
  /**
   * What a completed task's `result` is: the document shows it per type, and the worker checks every
   * result against it (a mismatch fails the task outside production, and is logged in production).
   */
  output: Output;
  /** Fit for the run time: a worker that stops renewing the lock for this long is presumed dead. */
  lockDurationMs: number;
  /** Jobs per worker process unless `<TYPE>_CONCURRENCY` says otherwise. */
  concurrency?: number;
  references?: TaskReference[];
}

const TYPE_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * One task type as the API and the workers both see it. A class (not a plain object) so the registry can
 * find every registered type among the providers, wherever the module that registered it lives.
 */
export class TaskType<Schema extends z.ZodType = z.ZodType, Output extends z.ZodType = z.ZodType> {
  readonly type: string;
  readonly summary: string;
  readonly input: Schema;
  readonly output: Output;
  readonly lockDurationMs: number;
  readonly concurrency: number;
  readonly references: readonly TaskReference[];

  constructor(options: TaskTypeOptions<Schema, Output>) {
    if (!TYPE_NAME.test(options.type)) throw new Error(`task type "${options.type}" must match ${TYPE_NAME}`);
    // Checked here for extensions written in JavaScript: without it every job of the type would fail.
    for (const field of ['input', 'output'] as const) {
      if (typeof options[field]?.safeParse !== 'function') {
        throw new Error(`task type "${options.type}" needs an \`${field}\` schema (a zod schema)`);
      }
    }
    this.type = options.type;
    this.summary = options.summary ?? `a ${options.type} task`;
    this.input = options.input;
    this.output = options.output;
    this.lockDurationMs = options.lockDurationMs;
    this.concurrency = options.concurrency ?? 5;
    this.references = options.references ?? [];
  }

  /** The queue is named after the type, so a queue in Redis says which type it holds. */
  get queueName(): string {
    return this.type;
  }
}

export type TaskInput<T> = T extends TaskType<infer S> ? z.output<S> : never;
/** What a processor of the type returns. */
export type TaskResult<T> = T extends TaskType<z.ZodType, infer O> ? z.input<O> : never;

export function defineTask<Schema extends z.ZodType, Output extends z.ZodType>(
  options: TaskTypeOptions<Schema, Output>,
): TaskType<Schema, Output> {
  return new TaskType(options);
}
