import { randomUUID } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import { PermanentTaskError, type TaskContext } from '../../../tasks/task-processor.host.js';
import type { EmailSendLedger } from '../email-send-ledger.js';
import type { EmailTaskResult } from '../email-task.dto.js';
import type { MailDelivery, OutgoingMail } from '../mail-delivery.js';
import { CommitGatedMessage } from './commit-gated-message.js';
import type { SmtpConnectionPool } from './smtp-connection-pool.js';

export type SmtpEmailResult = EmailTaskResult & {
  transport: 'smtp';
  /** false: a worker died while the server was taking the message; it was not sent again (see docs). */
  confirmed: boolean;
};

const addressesOf = (mailboxes: readonly string[]) =>
  mailboxes.flatMap((m) =>
    addressparser(m)
      .map((a) => a.address!)
      .filter(Boolean),
  );

/**
 * Sends over SMTP at most once per task, and exactly once unless a worker dies in the instant between
 * recording "committing" and the server reading the message's end. The steps, and what a crash at each
 * one leads to, are in docs/adapters.md ("Email over SMTP").
 */
export class SmtpMailDelivery implements MailDelivery {
  constructor(
    private readonly pool: SmtpConnectionPool,
    private readonly ledger: EmailSendLedger,
    readonly from: string,
  ) {}

  async deliver(mail: OutgoingMail, context: TaskContext): Promise<SmtpEmailResult> {
    const { taskId } = context;
    const token = randomUUID();
    const claim = await this.ledger.claim(taskId, token);
    if (!claim.claimed) {
      const record = claim.record;
      if (record.state === 'sent') {
        const { messageId, accepted, rejected } = record;
        return { messageId, accepted, rejected, transport: 'smtp', confirmed: true };
      }
      // "committing": the server may hold the message; sending again could make a second copy.
      return { messageId: mail.messageId, accepted: [], rejected: [], transport: 'smtp', confirmed: false };
    }
    await context.progress(50);
    let committed = false;
    const message = new CommitGatedMessage(mail.eml, async () => {
      committed = await this.ledger.commit(taskId, token);
      if (!committed) throw new Error('another attempt of this task took the send over');
    });
    let info;
    try {
      info = await this.pool.send({ from: addressesOf([mail.from])[0], to: addressesOf(mail.to) }, message);
    } catch (err) {
      const smtp = err as Error & { responseCode?: number; command?: string };
      // An answer to the message's end is a verdict: an error there means the server did not take it.
      if (committed && smtp.responseCode && smtp.command === 'DATA') await this.ledger.release(taskId, token);
      if (smtp.responseCode && smtp.responseCode >= 500) {
        throw new PermanentTaskError(`the SMTP server refused the message (${smtp.responseCode})`);
      }
      throw err;
    }
    const result = {
      messageId: mail.messageId,
      accepted: info.accepted.map(String),
      rejected: info.rejected.map(String),
    };
    await this.ledger.sent(taskId, result);
    return { ...result, transport: 'smtp', confirmed: true };
  }
}
