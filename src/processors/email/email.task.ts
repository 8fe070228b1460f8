import { defineTask } from '../../tasks/task-type.js';
import { emailTaskInputSchema, emailTaskResultSchema } from './email-task.dto.js';

/** Writing to the outbox is instant; SMTP takes 1-5 s (the record). */
export const emailTask = defineTask({
  type: 'email',
  summary: 'An e-mail sent from EMAIL_FROM, optionally with a completed pdf task attached',
  input: emailTaskInputSchema,
  output: emailTaskResultSchema,
  lockDurationMs: 30_000,
  references: [{ field: 'attachTask', type: 'pdf' }],
});
