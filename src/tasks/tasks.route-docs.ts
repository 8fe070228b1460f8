import { z } from 'zod';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { RouteDocSet, routeDocsProvider } from '../http/route-doc-set.js';
import { eventStream, type RouteDoc, type RouteDocs } from '../http/route-doc.js';
import {
  byType,
  scheduleViewSchema,
  taskAcceptedSchema,
  taskProgressEventSchema,
  taskTypeSchemas,
} from './task-api.schemas.js';
import { TaskRegistry } from './task-registry.service.js';
import { listTasksQuerySchema, SCHEDULE_TIMING_RULE, scheduleTimingShape } from './task-request.dto.js';
import { TASK_STATES } from './task-view.js';

const id = {
  description: 'A task id, `<type>.<id>`',
  schema: z.string().min(3).max(200),
  example: 'job-search.Vx3kq9T2b8WcYz0aLmN4pQ',
};
const visibility = "A client sees only its own tasks (another's answers 404, never 403); an admin sees all.";
const scheduleName = {
  description: 'Letters, digits, "_" and "-"',
  schema: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  example: 'nightly-search',
};

/**
 * The tasks and schedules API, built from the registered task types: each type has its own create path
 * (`POST /v1/tasks/<type>`, literal, so it never collides with `/v1/tasks/{id}`) with its input schema,
 * and the task view is a union by `type`, so a generated client knows each type's result.
 */
export function taskRouteDocs(registry: TaskRegistry, config: AppConfig): RouteDocs {
  const inputMax = config.security.taskInputMaxBytes;
  const types = [...registry.all().values()];
  const perType = types.map((task) => ({ task, ...taskTypeSchemas(task, inputMax) }));
  const names = types.map((t) => t.type);
  const task = byType(
    'Task',
    perType.map((t) => ({ name: `${t.name}Task`, type: t.task.type, schema: t.view })),
    'A task; `type` says which result it holds',
  );
  const view = { description: 'The task', schema: task };
  const tooLarge = {
    description: `The task input is larger than ${inputMax} bytes as JSON (TASK_INPUT_MAX_BYTES), or the body than ${config.server.bodyLimitBytes} (BODY_LIMIT_BYTES)`,
    schema: { $ref: '#/components/schemas/ErrorBody' },
  };

  const create = (t: (typeof perType)[number]): RouteDoc => ({
    operationId: `create${t.name}Task`,
    summary: `Enqueue a ${t.task.type} task`,
    description:
      `${t.task.summary}. Answers at once with the task's id and a \`Location\` header; follow it, or its ` +
      '`events` stream. The same `Idempotency-Key` (per key holder) returns the same task, in its current ' +
      'state; with a different body, 409. Rate-limited per type (`tasks:' +
      t.task.type +
      '` in RATE_LIMITS). With the queue Redis down: 503 with `Retry-After`.' +
      (t.task.references.length > 0
        ? ` ${t.task.references.map((r) => `\`input.${r.field}\` names one of your completed ${r.type} tasks (404 if none).`).join(' ')}`
        : ''),
    tag: 'tasks',
    access: 'key',
    headers: {
      'idempotency-key': {
        description: '1 to 200 visible ASCII characters; repeats of it return the first task',
        schema: z.string().regex(/^[\x21-\x7e]{1,200}$/),
        example: 'order-4711',
      },
    },
    body: t.create,
    responses: {
      202: {
        description: 'Enqueued (or, for a repeated Idempotency-Key, the task it made first)',
        schema: taskAcceptedSchema(names),
        headers: { Location: 'Location' },
      },
      413: tooLarge,
    },
    errors: t.task.references.length > 0 ? [404, 409, 503] : [409, 503],
  });

  return {
    ...Object.fromEntries(perType.map((t) => [`POST /v1/tasks/${t.task.type}`, create(t)])),
    'GET /v1/tasks': {
      operationId: 'listTasks',
      summary: 'List tasks, newest first',
      description: visibility,
      tag: 'tasks',
      access: 'key',
      query: listTasksQuerySchema.extend({
        type: (names.length > 0 ? z.enum(names as [string, ...string[]]) : z.string()).optional().meta({
          description: 'Only tasks of this type',
        }),
        state: z.enum(TASK_STATES).optional().meta({ description: 'Only tasks in this state' }),
        limit: listTasksQuerySchema.shape.limit.meta({ description: 'Page size' }),
        cursor: listTasksQuerySchema.shape.cursor.meta({ description: '`next` of the previous page' }),
      }),
      responses: {
        200: {
          description: 'One page',
          schema: z
            .object({
              items: z.array(task),
              next: z
                .string()
                .nullable()
                .meta({ description: 'The cursor of the next page; null on the last one' }),
            })
            .meta({ id: 'TaskPage' }),
        },
      },
      errors: [503],
    },
    'GET /v1/tasks/{id}': {
      operationId: 'getTask',
      summary: 'A task: state, progress, result or error',
      description: visibility,
      tag: 'tasks',
      access: 'key',
      params: { id },
      responses: { 200: view },
      errors: [404, 503],
    },
    'DELETE /v1/tasks/{id}': {
      operationId: 'cancelTask',
      summary: 'Cancel a task',
      description:
        'A waiting or delayed task is removed (204); an active one is asked to stop (202). A finished one: 409.',
      tag: 'tasks',
      access: 'key',
      params: { id },
      responses: { 202: { description: 'Its worker was asked to stop' }, 204: { description: 'Cancelled' } },
      errors: [404, 409, 503],
    },
    'POST /v1/tasks/{id}/retry': {
      operationId: 'retryTask',
      summary: 'Run a failed task again',
      description: 'Only a `failed` task (409 otherwise); its attempts start again from zero.',
      tag: 'tasks',
      access: 'key',
      params: { id },
      responses: { 202: { description: 'Queued again', schema: task } },
      errors: [404, 409, 503],
    },
    'GET /v1/tasks/{id}/events': {
      operationId: 'streamTaskEvents',
      summary: 'Follow a task as Server-Sent Events',
      description:
        'First a `state` event (the task as `GET /v1/tasks/{id}` shows it), then `progress` events, and at ' +
        'the end `completed` or `failed` (also for a cancelled task) with the task; the stream then ends. ' +
        'A comment line (`: heartbeat`) keeps idle connections open. Works from any API instance; at most ' +
        'SSE_MAX_PER_KEY streams per key (429 past it).',
      tag: 'tasks',
      access: 'key',
      params: { id },
      responses: {
        200: eventStream({
          state: { description: 'The task when the stream opens', schema: task },
          progress: { description: 'Its progress changed', schema: taskProgressEventSchema },
          completed: { description: 'It completed: the task with its result', schema: task },
          failed: {
            description: 'It failed for good, or was cancelled: the task with its error',
            schema: task,
          },
        }),
      },
      errors: [404, 503],
    },
    'GET /v1/tasks/{id}/artifact': {
      operationId: 'getTaskArtifact',
      summary: 'The PDF a completed pdf task rendered',
      description: 'Only pdf tasks have one (404 for others); 409 until the task has completed.',
      tag: 'tasks',
      access: 'key',
      params: { id },
      responses: {
        200: {
          description: 'The file',
          schema: z.string().meta({ format: 'binary' }),
          contentType: 'application/pdf',
          headers: { 'Content-Disposition': 'Content-Disposition' },
        },
      },
      errors: [404, 409, 503],
    },
    ...scheduleRouteDocs(perType, names, tooLarge),
  };
}

function scheduleRouteDocs(
  perType: ({ name: string; task: { type: string } } & ReturnType<typeof taskTypeSchemas>)[],
  names: string[],
  tooLarge: { description: string; schema: Record<string, unknown> },
): RouteDocs {
  const request = byType(
    'ScheduleRequest',
    perType.map((t) => ({
      name: `${t.name}ScheduleRequest`,
      type: t.task.type,
      schema: z
        .object({ type: z.literal(t.task.type), input: t.input, ...scheduleTimingShape })
        .strict()
        .meta({
          id: `${t.name}ScheduleRequest`,
          description: 'Give `every` (ms, at least 1000) or `cron`, not both; `tz` goes with `cron` only',
          ...SCHEDULE_TIMING_RULE,
        }),
    })),
    'A repeating task of one type',
  );
  const schedule = scheduleViewSchema(names);
  return {
    'PUT /v1/schedules/{name}': {
      operationId: 'putSchedule',
      summary: 'Create or replace a repeating task',
      description: 'Each run is a task owned by the caller. A bad cron pattern or zone: 400.',
      tag: 'schedules',
      access: 'admin',
      params: { name: scheduleName },
      body: request,
      responses: { 200: { description: 'The schedule', schema: schedule }, 413: tooLarge },
      errors: [503],
    },
    'GET /v1/schedules': {
      operationId: 'listSchedules',
      summary: 'Every schedule',
      tag: 'schedules',
      access: 'admin',
      responses: {
        200: {
          description: 'The schedules, by name',
          schema: z.object({ items: z.array(schedule) }).meta({ id: 'ScheduleList' }),
        },
      },
      errors: [503],
    },
    'DELETE /v1/schedules/{name}': {
      operationId: 'deleteSchedule',
      summary: 'Delete a schedule',
      description: 'Runs already queued stay.',
      tag: 'schedules',
      access: 'admin',
      params: { name: scheduleName },
      responses: { 204: { description: 'Deleted' } },
      errors: [404, 503],
    },
  };
}

export const tasksRouteDocs = routeDocsProvider(
  'tasks',
  (registry: TaskRegistry, config: AppConfig) =>
    new RouteDocSet(
      [
        {
          name: 'tasks',
          description: 'Queued work of the registered task types: create, follow, cancel, retry',
        },
        { name: 'schedules', description: 'Repeating tasks (admin keys)' },
      ],
      () => taskRouteDocs(registry, config),
    ),
  [TaskRegistry, APP_CONFIG],
);
