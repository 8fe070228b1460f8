import { defineTask } from '../../tasks/task-type.js';
import { pdfTaskInputSchema } from './pdf-task.dto.js';

/** Rendering takes 2-10 s (the record); the lock is a few times that. */
export const pdfTask = defineTask({
  type: 'pdf',
  input: pdfTaskInputSchema,
  lockDurationMs: 60_000,
  references: [{ field: 'fromTask', type: 'narrative' }],
});
