import { z } from 'zod';

const MAX_DELAY_MS = 365 * 86_400_000;

/**
 * All a client may send: its input and three scheduling hints. Attempts, backoff, job ids and every
 * other BullMQ option stay the server's, so `.strict()` refuses them by name.
 */
export const createTaskRequestSchema = z
  .object({
    input: z.unknown(),
    options: z
      .object({
        /** 1 is the most urgent (BullMQ's order); absent: after every prioritised task. */
        priority: z.number().int().min(1).max(2_097_152).optional(),
        delayMs: z.number().int().min(0).max(MAX_DELAY_MS).optional(),
        runAt: z.iso.datetime({ offset: true }).optional(),
      })
      .strict()
      .refine((o) => o.delayMs === undefined || o.runAt === undefined, {
        message: 'give delayMs or runAt, not both',
        path: ['runAt'],
      })
      .optional(),
  })
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

export const scheduleRequestSchema = z
  .object({
    type: z.string().max(40),
    input: z.unknown(),
    every: z.number().int().min(1_000).max(MAX_DELAY_MS).optional(),
    cron: z.string().min(1).max(120).optional(),
    tz: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((s) => (s.every === undefined) !== (s.cron === undefined), {
    message: 'give exactly one of every or cron',
    path: ['every'],
  })
  .refine((s) => s.tz === undefined || s.cron !== undefined, {
    message: 'tz applies to cron only',
    path: ['tz'],
  });
