import { z } from 'zod';

export const MAX_DELAY_MS = 365 * 86_400_000;

/** Three scheduling hints; attempts, backoff, job ids and every other BullMQ option stay the server's. */
export const taskOptionsSchema = z
  .object({
    /** 1 is the most urgent (BullMQ's order); absent: after every prioritised task. */
    priority: z
      .number()
      .int()
      .min(1)
      .max(2_097_152)
      .optional()
      .meta({ description: '1 is the most urgent; absent: after every prioritised task' }),
    delayMs: z.number().int().min(0).max(MAX_DELAY_MS).optional(),
    runAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((o) => o.delayMs === undefined || o.runAt === undefined, {
    message: 'give delayMs or runAt, not both',
    path: ['runAt'],
  });

/** All a client may send: its input and the options; `.strict()` refuses anything else by name. */
export const createTaskRequestSchema = z
  .object({ input: z.unknown(), options: taskOptionsSchema.optional() })
  .strict()
  .refine((body) => body.input !== undefined, { message: 'input is required', path: ['input'] });

export type CreateTaskRequest = z.infer<typeof createTaskRequestSchema>;

export const listTasksQuerySchema = z
  .object({
    type: z.string().max(40).optional(),
    state: z.enum(['waiting', 'delayed', 'active', 'completed', 'failed', 'cancelled']).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(300).optional(),
  })
  .strict();

/** A schedule's timing, whatever its type: `every` (ms) or `cron` with an optional `tz`. */
export const scheduleTimingShape = {
  every: z.number().int().min(1_000).max(MAX_DELAY_MS).optional(),
  cron: z.string().min(1).max(120).optional(),
  tz: z.string().min(1).max(64).optional(),
};

export const scheduleRequestSchema = z
  .object({ type: z.string().max(40), input: z.unknown(), ...scheduleTimingShape })
  .strict()
  .refine((s) => (s.every === undefined) !== (s.cron === undefined), {
    message: 'give exactly one of every or cron',
    path: ['every'],
  })
  .refine((s) => s.tz === undefined || s.cron !== undefined, {
    message: 'tz applies to cron only',
    path: ['tz'],
  });

/** `scheduleRequestSchema`'s first refinement as JSON Schema: exactly one of every and cron. */
export const SCHEDULE_TIMING_RULE = { oneOf: [{ required: ['every'] }, { required: ['cron'] }] };
