import addressparser from 'nodemailer/lib/addressparser';
import { z } from 'zod';
import { isHeaderSafe } from './header-safety.util.js';

const headerSafe = (max: number) =>
  z.string().max(max).refine(isHeaderSafe, 'must not contain line breaks or control characters');

const plainAddress = z.email();

/** One mailbox: `ada@example.com` or `Ada Okafor <ada@example.com>`, never a list or a group. */
const mailbox = headerSafe(320).refine((value) => {
  const parsed = addressparser(value);
  return parsed.length === 1 && !parsed[0].group && plainAddress.safeParse(parsed[0].address).success;
}, 'must be a single e-mail address');

/** Validates an e-mail payload; the API layer reuses it so a bad request fails before it is queued. */
export const emailMessageInputSchema = z.object({
  from: mailbox,
  to: z.array(mailbox).min(1).max(50),
  subject: headerSafe(200),
  text: z.string().max(1_000_000).optional(),
  html: z.string().max(1_000_000).optional(),
  attachments: z
    .array(
      z.object({
        filename: headerSafe(255).pipe(z.string().min(1)),
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
