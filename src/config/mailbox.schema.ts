import addressparser from 'nodemailer/lib/addressparser';
import { z } from 'zod';
import { headerValue } from './header-value.util.js';

const plainAddress = z.email();

/**
 * One mailbox: `ada@example.com` or `Ada Okafor <ada@example.com>`, never a list or a group. SMTP_FROM and
 * the email task's addresses share this one rule (config/ is the lowest layer both may import).
 */
export const mailbox = headerValue(320).refine((value) => {
  const parsed = addressparser(value);
  return parsed.length === 1 && !parsed[0].group && plainAddress.safeParse(parsed[0].address).success;
}, 'must be a single e-mail address');
