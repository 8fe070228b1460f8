import { defineTask } from '../../tasks/task-type.js';
import { narrativeInputSchema, narrativeResultSchema } from './narrative.dto.js';

/** Template writing takes milliseconds; the lock leaves room for the LLM adapter's 5-30 s calls. */
export const narrativeTask = defineTask({
  type: 'narrative',
  summary: 'A CV narrative written from a subject, in the voice of a taxonomy mask and epoch',
  input: narrativeInputSchema,
  output: narrativeResultSchema,
  lockDurationMs: 60_000,
});
