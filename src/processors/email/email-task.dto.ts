import { z } from 'zod';
import { emailMessageInputSchema } from './email-message.dto.js';

const message = emailMessageInputSchema.shape;

/**
 * What a client sends; the sender comes from EMAIL_FROM. Header fields with line breaks fail here, at the
 * API, with a 400 naming them.
 */
export const emailTaskInputSchema = z
  .object({
    to: z
      .array(
        message.to.element.meta({
          description:
            'One mailbox: `ada@example.com` or `Ada Okafor <ada@example.com>`; never a list or a group',
          // The document's approximation of the parser's rule (src/config/mailbox.schema.ts).
          pattern: '^([^<>\\r\\n]*<)?[^\\s<>@,;]+@[^\\s<>@,;]+\\.[^\\s<>@,;]+>?$',
        }),
      )
      .min(1)
      .max(50),
    subject: message.subject,
    text: message.text,
    html: message.html,
    /** One of the caller's completed pdf tasks, attached as a file. */
    attachTask: z.string().min(3).max(200).optional(),
  })
  .refine((v) => v.text !== undefined || v.html !== undefined, {
    message: 'give text or html',
    path: ['text'],
  })
  .meta({
    description: 'Give `text`, `html` or both',
    anyOf: [{ required: ['text'] }, { required: ['html'] }],
    example: {
      to: ['Ada Okafor <ada@example.com>'],
      subject: 'Your CV',
      text: 'Attached.',
      attachTask: 'pdf.Vx3kq9T2b8WcYz0aLmN4pQ',
    },
  });

export type EmailTaskInput = z.output<typeof emailTaskInputSchema>;

/** What an email task completes with: the recipients the outbox or the SMTP server accepted. */
export const emailTaskResultSchema = z.object({
  messageId: z.string(),
  accepted: z.array(z.string()),
  rejected: z.array(z.string()),
  transport: z
    .literal('smtp')
    .optional()
    .meta({ description: 'Present when sent by SMTP (absent: the outbox)' }),
  confirmed: z
    .boolean()
    .optional()
    .meta({
      description:
        "SMTP only: false when an earlier attempt's send may have reached the server but was never confirmed " +
        '(it is not sent again, so no second copy arrives; `accepted` is then empty)',
    }),
});

export type EmailTaskResult = z.output<typeof emailTaskResultSchema>;
