import type { EmailTaskResult } from './email-task.dto.js';
import type { MailDelivery, OutgoingMail } from './mail-delivery.js';
import type { OutboxWriter } from './outbox-writer.js';

/** The offline default: one .eml file per Message-ID, so a retry rewrites the same file. */
export class OutboxMailDelivery implements MailDelivery {
  constructor(
    private readonly outbox: OutboxWriter,
    readonly from: string,
  ) {}

  async deliver(mail: OutgoingMail): Promise<EmailTaskResult> {
    const { messageId, accepted, rejected } = await this.outbox.write(mail);
    return { messageId, accepted, rejected };
  }
}
