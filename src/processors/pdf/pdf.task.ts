import { defineTask } from '../../tasks/task-type.js';
import { pdfTaskInputSchema, pdfTaskResultSchema } from './pdf-task.dto.js';

/** Rendering takes 2-10 s (the record); the lock is a few times that. */
export const pdfTask = defineTask({
  type: 'pdf',
  summary: 'A PDF rendered from sections, or from a completed narrative task',
  input: pdfTaskInputSchema,
  output: pdfTaskResultSchema,
  lockDurationMs: 60_000,
  references: [{ field: 'fromTask', type: 'narrative' }],
});
