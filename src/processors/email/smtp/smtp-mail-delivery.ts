import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
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

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Sends over SMTP at most once per task, and exactly once unless a worker dies between two writes made in
 * one turn of the event loop (the "committing" command to Redis, then the message's end to the server).
 * An attempt holds the send for `leaseMs` from its claim and commits only while comfortably inside it, so
 * an attempt that takes the send over (after the lease) never races one that may still commit. The steps,
 * and what a crash at each one leads to, are in docs/adapters.md ("Email over SMTP").
 */
export class SmtpMailDelivery implements MailDelivery {
  private readonly logger = new Logger(SmtpMailDelivery.name);

  constructor(
    private readonly pool: SmtpConnectionPool,
    private readonly ledger: EmailSendLedger,
    readonly from: string,
    private readonly leaseMs: number,
  ) {}

  async deliver(mail: OutgoingMail, context: TaskContext): Promise<SmtpEmailResult> {
    const { taskId } = context;
    const token = randomUUID();
    let claimedAt: number;
    for (;;) {
      // Taken before the claim is sent: the lease, counted from Redis's clock, cannot end earlier.
      claimedAt = performance.now();
      const claim = await this.ledger.claim(taskId, token, this.leaseMs);
      if (claim.claimed) break;
      const record = claim.record;
      if (record.state === 'sent') {
        const { messageId, accepted, rejected } = record;
        return { messageId, accepted, rejected, transport: 'smtp', confirmed: true };
      }
      // "committing": the server may hold the message; sending again could make a second copy.
      if (record.state === 'committing')
        return { messageId: mail.messageId, accepted: [], rejected: [], transport: 'smtp', confirmed: false };
      // An earlier attempt (dead, or about to give up) holds the send until its lease ends.
      await sleep(Math.min(this.leaseMs, (record.retryInMs ?? 0) + 25));
    }
    await context.progress(50);
    // A margin for the commit command's trip to Redis and for the two clocks drifting apart.
    const commitBy = claimedAt + this.leaseMs - Math.max(500, this.leaseMs / 10);
    const message = new CommitGatedMessage(mail.eml, () => {
      if (performance.now() > commitBy) throw new Error('the send lease ran out before the message was sent');
      return this.ledger.commit(taskId, token);
    });
    let info;
    try {
      info = await this.pool.send({ from: addressesOf([mail.from])[0], to: addressesOf(mail.to) }, message);
    } catch (err) {
      const smtp = err as Error & { responseCode?: number; command?: string };
      // An answer to the message's end is a verdict: an error there means the server did not take it.
      const committed = await message.committed?.catch(() => false);
      if (committed && smtp.responseCode && smtp.command === 'DATA') await this.ledger.release(taskId, token);
      if (smtp.responseCode && smtp.responseCode >= 500) {
        throw new PermanentTaskError(`the SMTP server refused the message (${smtp.responseCode})`);
      }
      throw err;
    }
    if (!(await message.committed?.catch(() => false))) {
      // Cannot happen while the lease holds (commitBy); the server has the message either way.
      this.logger.error(`${taskId}: the server took a message whose "committing" was not recorded`);
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
