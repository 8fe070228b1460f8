import { z } from 'zod';
import { headerValue } from '../../config/header-value.util.js';
import { mailbox } from '../../config/mailbox.schema.js';

/** Validates an e-mail payload; the API layer reuses it so a bad request fails before it is queued. */
export const emailMessageInputSchema = z.object({
  from: mailbox,
  to: z.array(mailbox).min(1).max(50),
  subject: headerValue(200),
  text: z.string().max(1_000_000).optional(),
  html: z.string().max(1_000_000).optional(),
  attachments: z
    .array(
      z.object({
        filename: headerValue(255).pipe(z.string().min(1)),
        content: z.instanceof(Buffer),
        contentType: z.string().regex(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i, 'must be a MIME type'),
      }),
    )
    .max(20)
    .optional(),
  /** `<local@domain>`; the angle brackets may be left out. Generated when absent. */
  messageId: z
    .string()
    .max(250)
    .regex(/^<?[^\s<>@]+@[^\s<>@]+>?$/, 'must look like <local@domain>')
    .optional(),
});

export type EmailMessageInput = z.input<typeof emailMessageInputSchema>;
