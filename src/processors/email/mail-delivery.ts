import type { TaskContext } from '../../tasks/task-processor.host.js';
import type { EmailTaskResult } from './email-task.dto.js';

/** A composed message, ready to go. */
export interface OutgoingMail {
  eml: Buffer;
  /** With angle brackets; derived from the task id, so every attempt builds the same message. */
  messageId: string;
  /** The sender mailbox and recipients as in the headers; the envelope is derived from them. */
  from: string;
  to: readonly string[];
}

/** How email leaves: the .eml outbox (offline default) or SMTP when SMTP_URL is set. */
export interface MailDelivery {
  /** The sender the message is composed with. */
  readonly from: string;
  deliver(mail: OutgoingMail, context: TaskContext): Promise<EmailTaskResult>;
}

export const MAIL_DELIVERY = Symbol('MAIL_DELIVERY');
