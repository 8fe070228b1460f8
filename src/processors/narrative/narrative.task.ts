import { defineTask } from '../../tasks/task-type.js';
import { narrativeInputSchema } from './narrative.dto.js';

/** Template writing takes milliseconds; the lock leaves room for the LLM adapter's 5-30 s calls. */
export const narrativeTask = defineTask({
  type: 'narrative',
  input: narrativeInputSchema,
  lockDurationMs: 60_000,
});
