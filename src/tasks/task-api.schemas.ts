import { z } from 'zod';
import { taskOptionsSchema } from './task-request.dto.js';
import type { TaskType } from './task-type.js';
import { TASK_STATES } from './task-view.js';

/**
 * The tasks API's schemas as the document names them, built per registered task type: each type's input,
 * result, task view, create request and schedule request, and the unions a generated client narrows by
 * `type`. Mirrors TaskView, ScheduleView and the POST answer.
 */

/** `job-search` → `JobSearch`: the prefix of a type's schema names. */
export const schemaNameOf = (type: string) =>
  type.replace(/(^|-)([a-z0-9])/g, (_m, _dash, c: string) => c.toUpperCase());

export const taskStateSchema = z.enum(TASK_STATES).meta({
  id: 'TaskState',
  description: '`cancelled` is a task removed before it ran or stopped while it ran',
});

const taskId = (type?: string) =>
  z.string().meta({
    description: '`<type>.<id>`, unguessable',
    example: `${type ?? 'job-search'}.Vx3kq9T2b8WcYz0aLmN4pQ`,
  });

const links = z
  .object({
    self: z.string().meta({ example: '/v1/tasks/job-search.Vx3kq9T2b8WcYz0aLmN4pQ' }),
    events: z.string().meta({ example: '/v1/tasks/job-search.Vx3kq9T2b8WcYz0aLmN4pQ/events' }),
  })
  .meta({ id: 'TaskLinks' });

export const taskOptionsDocSchema = taskOptionsSchema.meta({
  id: 'TaskOptions',
  description: 'Scheduling hints; give `delayMs` or `runAt`, not both',
});

const progress = z
  .number()
  .min(0)
  .max(100)
  .meta({ description: 'A percentage, as the processor reports it (0 until it does)' });

export const taskProgressEventSchema = z.object({ id: taskId(), progress }).meta({ id: 'TaskProgressEvent' });

/** Every schema of one task type, named after it. */
export function taskTypeSchemas(task: TaskType, inputMaxBytes: number) {
  const name = schemaNameOf(task.type);
  const input = task.input.meta({
    id: `${name}Input`,
    description:
      `${task.input.description ? `${task.input.description}. ` : ''}The input of ${task.type} tasks; as JSON, ` +
      `at most ${inputMaxBytes} bytes (TASK_INPUT_MAX_BYTES; 413 past it)`,
    'x-max-json-bytes': inputMaxBytes,
  });
  const result = task.output.meta({
    id: `${name}Result`,
    description: `What a completed ${task.type} task holds`,
  });
  const view = z
    .object({
      id: taskId(task.type),
      type: z.literal(task.type),
      state: taskStateSchema,
      progress,
      attemptsMade: z.number().int().min(0),
      result: result.optional(),
      error: z.string().optional().meta({ description: 'When failed or cancelled' }),
      createdAt: z.iso.datetime(),
      startedAt: z.iso.datetime().optional(),
      finishedAt: z.iso.datetime().optional(),
    })
    .meta({
      id: `${name}Task`,
      description: `A ${task.type} task (${task.summary}); \`result\` when completed, \`error\` when failed or cancelled`,
    });
  const create = z
    .object({ input, options: taskOptionsDocSchema.optional() })
    .strict()
    .meta({ id: `Create${name}TaskRequest` });
  return { name, input, result, view, create };
}

/** A union of one object per type, which a generated client narrows by `type`. */
export function byType<T extends z.ZodObject>(
  id: string,
  variants: { name: string; type: string; schema: T }[],
  description: string,
) {
  if (variants.length === 0) return z.never().meta({ id, description });
  const mapping = Object.fromEntries(variants.map((v) => [v.type, `#/components/schemas/${v.name}`]));
  // A union even of one member: the member keeps its own name, and a later type joins without a change.
  const union = z.discriminatedUnion('type', variants.map((v) => v.schema) as [T, ...T[]]);
  return union.meta({ id, description, discriminator: { propertyName: 'type', mapping } });
}

export const taskAcceptedSchema = (types: string[]) =>
  z
    .object({
      id: taskId(),
      type: z.enum(types as [string, ...string[]]),
      state: taskStateSchema.meta({
        description:
          "The task's state now: `waiting` or `delayed` for a new task; a repeated `Idempotency-Key` " +
          'answers with the state of the task it made first, which may have finished',
      }),
      createdAt: z.iso.datetime(),
      links,
    })
    .meta({ id: 'TaskAccepted' });

export const scheduleViewSchema = (types: string[]) =>
  z
    .object({
      name: z.string(),
      type: z.enum(types as [string, ...string[]]),
      every: z.number().int().optional().meta({ description: 'Milliseconds between runs' }),
      cron: z.string().optional(),
      tz: z.string().optional(),
      next: z.iso.datetime().optional().meta({ description: 'When it runs next' }),
    })
    .meta({ id: 'Schedule' });
