import { z } from 'zod';
import { TASK_STATES } from '../tasks/task-view.js';

/** Task response shapes, for the document only (mirrors TaskView, ScheduleView and the POST answer). */

const taskId = z.string().meta({ description: '`<type>.<id>`, unguessable', example: 'job-search.3x9Kq…' });

export const taskViewSchema = z.object({
  id: taskId,
  type: z.string(),
  state: z.enum(TASK_STATES),
  progress: z
    .unknown()
    .meta({ description: 'A percentage (0 to 100) while running, as the processor reports it' }),
  attemptsMade: z.number().int(),
  result: z.unknown().optional().meta({ description: "When completed: the type's result" }),
  error: z.string().optional().meta({ description: 'When failed or cancelled' }),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().optional(),
  finishedAt: z.iso.datetime().optional(),
});

export const taskCreatedSchema = z.object({
  id: taskId,
  type: z.string(),
  state: z.enum(['waiting', 'delayed']),
  createdAt: z.iso.datetime(),
  links: z.object({
    self: z.string().meta({ example: '/v1/tasks/job-search.3x9Kq…' }),
    events: z.string().meta({ example: '/v1/tasks/job-search.3x9Kq…/events' }),
  }),
});

export const taskPageSchema = z.object({
  items: z.array(taskViewSchema),
  next: z.string().nullable().meta({ description: 'The cursor of the next page; null on the last one' }),
});

export const scheduleViewSchema = z.object({
  name: z.string(),
  type: z.string(),
  every: z.number().int().optional(),
  cron: z.string().optional(),
  tz: z.string().optional(),
  next: z.iso.datetime().optional().meta({ description: 'When it runs next' }),
});

export const scheduleListSchema = z.object({ items: z.array(scheduleViewSchema) });
