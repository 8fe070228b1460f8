import { randomUUID } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { type EmailMessageInput, emailMessageInputSchema } from './email-message.dto.js';

export interface ComposedEml {
  /** The RFC 5322 message, CRLF line endings. */
  eml: Buffer;
  /** With angle brackets, as in the Message-ID header. */
  messageId: string;
}

export interface ComposeEmlOptions {
  /** The Date header; a caller that must reproduce a message passes the time it recorded. */
  date?: Date;
}

function domainOf(mailbox: string): string {
  const [parsed] = addressparser(mailbox);
  return parsed.address?.split('@')[1] || 'localhost';
}

/** Builds a MIME message with nodemailer's composer, without sending it anywhere. */
export async function composeEml(
  input: EmailMessageInput,
  options: ComposeEmlOptions = {},
): Promise<ComposedEml> {
  const message = emailMessageInputSchema.parse(input);
  const messageId = message.messageId
    ? `<${message.messageId.replace(/^<|>$/g, '')}>`
    : `<${randomUUID()}@${domainOf(message.from)}>`;

  const composer = new MailComposer({
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    attachments: message.attachments?.map(({ filename, content, contentType }) => ({
      filename,
      content,
      contentType,
    })),
    messageId,
    date: options.date ?? new Date(),
    newline: 'windows',
    // Content is always given inline; refusing paths and URLs means no input can make the worker read a
    // local file or fetch a URL into a message.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const eml = await composer.compile().build();
  return { eml, messageId };
}
