import { z } from 'zod';
import { defineTask } from '../../src/tasks/task-type.js';

/** Which of the glossary's skills a job posting asks for, and which of them a candidate has. */
export const skillMatchTask = defineTask({
  type: 'skill-match',
  summary: 'The glossary skills a posting names, and the share of them a candidate has',
  input: z.object({
    posting: z.string().trim().min(1).max(20_000),
    /** Skill slugs or aliases, any case. */
    candidate: z.array(z.string().trim().min(1).max(40)).max(100),
  }),
  output: z.object({
    asked: z.array(z.string()),
    matched: z.array(z.string()),
    missing: z.array(z.string()),
    /** matched / asked, 0 when the posting names no known skill. */
    score: z.number().min(0).max(1),
  }),
  lockDurationMs: 30_000,
  concurrency: 2,
});
