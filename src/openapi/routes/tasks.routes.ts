import { z } from 'zod';
import type { TaskType } from '../../tasks/task-type.js';
import {
  createTaskRequestSchema,
  listTasksQuerySchema,
  scheduleRequestSchema,
} from '../../tasks/task-request.dto.js';
import { jsonSchemaOf, type RouteDocs } from '../route-doc.js';
import {
  scheduleListSchema,
  scheduleViewSchema,
  taskCreatedSchema,
  taskPageSchema,
  taskViewSchema,
} from '../task-schemas.js';

const id = { description: 'A task id, `<type>.<id>`', schema: z.string() };
const visibility = "A client sees only its own tasks (another's answers 404, never 403); an admin sees all.";

/** `input` as one schema per registered type, each titled with the type it belongs to. */
function withInputs(base: z.ZodType, types: TaskType[]): Record<string, unknown> {
  const schema = jsonSchemaOf(base, 'input') as { properties: Record<string, unknown> };
  schema.properties.input = {
    description: 'The input of the task type in the path (schedules: in `type`)',
    oneOf: types.map((t) => ({ title: t.type, ...jsonSchemaOf(t.input, 'input') })),
  };
  return schema;
}

/** The tasks API, built from the registered task types so every type's input schema is in the document. */
export function taskRouteDocs(types: TaskType[]): RouteDocs {
  const typeParam = {
    description: 'The task type',
    schema: types.length > 0 ? z.enum(types.map((t) => t.type) as [string, ...string[]]) : z.string(),
  };
  return {
    'POST /v1/tasks/{type}': {
      summary: 'Enqueue a task',
      description:
        "Answers at once with the task's id and a `Location` header; follow it, or its `events` stream. " +
        'The same `Idempotency-Key` (per key holder) returns the same task; with a different body, 409. ' +
        'With the queue Redis down: 503 with `Retry-After` within a second.',
      tag: 'tasks',
      access: 'key',
      params: { type: typeParam },
      headers: {
        'idempotency-key': { description: '1 to 200 visible ASCII characters', schema: z.string().max(200) },
      },
      body: withInputs(createTaskRequestSchema, types),
      responses: { 202: { description: 'Enqueued', schema: taskCreatedSchema } },
      errors: [404, 409, 503],
    },
    'GET /v1/tasks': {
      summary: 'List tasks, newest first',
      description: visibility,
      tag: 'tasks',
      access: 'key',
      query: listTasksQuerySchema,
      responses: { 200: { description: 'One page', schema: taskPageSchema } },
      errors: [503],
    },
    'GET /v1/tasks/{id}': {
      summary: 'A task: state, progress, result or error',
      description: visibility,
      tag: 'tasks',
      access: 'key',
      params: { id },
      responses: { 200: { description: 'The task', schema: taskViewSchema } },
      errors: [404, 503],
    },
    'DELETE /v1/tasks/{id}': {
      summary: 'Cancel a task',
      description: 'A waiting or delayed task is removed (204); an active one is asked to stop (202).',
      tag: 'tasks',
      access: 'key',
      params: { id },
      responses: { 202: { description: 'Its worker was asked to stop' }, 204: { description: 'Cancelled' } },
      errors: [404, 409, 503],
    },
    'POST /v1/tasks/{id}/retry': {
      summary: 'Run a failed task again',
      tag: 'tasks',
      access: 'key',
      params: { id },
      responses: { 202: { description: 'Queued again', schema: taskViewSchema } },
      errors: [404, 409, 503],
    },
    'GET /v1/tasks/{id}/events': {
      summary: 'Follow a task as Server-Sent Events',
      description:
        'Events `progress`, then `completed` or `failed` (data: the task as `GET /v1/tasks/{id}` shows it); ' +
        'the stream ends with the task. Works from any API instance.',
      tag: 'tasks',
      access: 'key',
      params: { id },
      responses: {
        200: {
          description: 'The event stream',
          schema: { type: 'string' },
          contentType: 'text/event-stream',
        },
      },
      errors: [404, 503],
    },
    'GET /v1/tasks/{id}/artifact': {
      summary: 'The PDF a completed pdf task rendered',
      tag: 'tasks',
      access: 'key',
      params: { id },
      responses: {
        200: {
          description: 'The file',
          schema: { type: 'string', format: 'binary' },
          contentType: 'application/pdf',
        },
      },
      errors: [404, 409, 503],
    },
    'PUT /v1/schedules/{name}': {
      summary: 'Create or replace a repeating task',
      description:
        'Give `every` (ms) or `cron` (with an optional `tz`). Each run is a task owned by the caller.',
      tag: 'schedules',
      access: 'admin',
      params: { name: { description: 'Letters, digits, "_" and "-"', schema: z.string().max(64) } },
      body: withInputs(scheduleRequestSchema, types),
      responses: { 200: { description: 'The schedule', schema: scheduleViewSchema } },
      errors: [503],
    },
    'GET /v1/schedules': {
      summary: 'Every schedule',
      tag: 'schedules',
      access: 'admin',
      responses: { 200: { description: 'The schedules', schema: scheduleListSchema } },
      errors: [503],
    },
    'DELETE /v1/schedules/{name}': {
      summary: 'Delete a schedule',
      tag: 'schedules',
      access: 'admin',
      params: { name: { description: 'The schedule', schema: z.string().max(64) } },
      responses: { 204: { description: 'Deleted' } },
      errors: [404, 503],
    },
  };
}
