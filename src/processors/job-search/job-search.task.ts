import { defineTask } from '../../tasks/task-type.js';
import { jobSearchInputSchema } from './job-search.dto.js';

/** The built-in dataset answers in milliseconds; an HTTP provider may take up to a minute. */
export const jobSearchTask = defineTask({
  type: 'job-search',
  input: jobSearchInputSchema,
  lockDurationMs: 90_000,
});
