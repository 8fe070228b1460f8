import { defineTask } from '../../tasks/task-type.js';
import { jobSearchInputSchema, jobSearchResultSchema } from './job-search.dto.js';

/** The built-in dataset answers in milliseconds; an HTTP provider may take up to a minute. */
export const jobSearchTask = defineTask({
  type: 'job-search',
  summary: 'Job postings that match a query, by relevance',
  input: jobSearchInputSchema,
  output: jobSearchResultSchema,
  lockDurationMs: 90_000,
});
