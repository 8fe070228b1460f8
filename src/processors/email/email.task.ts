import { defineTask } from '../../tasks/task-type.js';
import { emailTaskInputSchema } from './email-task.dto.js';

/** Writing to the outbox is instant; SMTP takes 1-5 s (the record). */
export const emailTask = defineTask({
  type: 'email',
  input: emailTaskInputSchema,
  lockDurationMs: 30_000,
  references: [{ field: 'attachTask', type: 'pdf' }],
});
