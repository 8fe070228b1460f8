import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { CommitGatedMessage } from './commit-gated-message.js';
import type { SmtpServerOptions } from './smtp-url.js';

type SendInfo = SMTPConnection.SentMessageInfo;

/**
 * Up to `size` authenticated SMTP connections, reused between messages. nodemailer's own pooled
 * transport would do this, but it reads the message into its buffers before the server's 354, so the
 * end of a message can no longer be held back until the send ledger says "committing" (see
 * CommitGatedMessage); nodemailer's SMTPConnection, used here, reads the message only after 354.
 */
export class SmtpConnectionPool {
  private readonly idle: SMTPConnection[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly open = new Set<SMTPConnection>();
  private busy = 0;

  constructor(
    private readonly server: SmtpServerOptions,
    private readonly size: number,
  ) {}

  async send(envelope: SMTPConnection.Envelope, message: CommitGatedMessage): Promise<SendInfo> {
    if (this.busy >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    this.busy++;
    try {
      // A pooled connection the server closed while idle fails before reading a byte: use a fresh one.
      const reused = this.idle.pop();
      if (reused) {
        try {
          return await this.sendOn(reused, envelope, message);
        } catch (err) {
          if (message.readableDidRead || message.destroyed) throw err;
        }
      }
      return await this.sendOn(await this.connect(), envelope, message);
    } finally {
      this.busy--;
      this.waiting.shift()?.();
    }
  }

  async close(): Promise<void> {
    for (const connection of this.open) connection.quit();
    this.open.clear();
    this.idle.length = 0;
  }

  private sendOn(connection: SMTPConnection, envelope: SMTPConnection.Envelope, message: CommitGatedMessage) {
    message.bind(connection._socket || undefined);
    return new Promise<SendInfo>((resolve, reject) => {
      connection.send(envelope, message, (err, info) => {
        if (err) {
          // Whatever state the session is in, it is not reused.
          this.drop(connection);
          reject(err);
        } else {
          this.idle.push(connection);
          resolve(info);
        }
      });
    });
  }

  private connect(): Promise<SMTPConnection> {
    const connection = new SMTPConnection(this.server.connection);
    this.open.add(connection);
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err: Error) => {
        this.drop(connection);
        if (!settled) reject(err);
        settled = true;
      };
      // Before the session is up an error fails the connect; afterwards the send callback also gets it,
      // and an idle connection is simply retired.
      connection.on('error', fail);
      connection.once('end', () => fail(new Error('the SMTP server closed the connection')));
      connection.connect((err) => {
        if (err) return fail(err);
        const ready = () => {
          if (!settled) resolve(connection);
          settled = true;
        };
        if (!this.server.auth) return ready();
        connection.login(this.server.auth, (loginErr) => (loginErr ? fail(loginErr) : ready()));
      });
    });
  }

  private drop(connection: SMTPConnection): void {
    const i = this.idle.indexOf(connection);
    if (i >= 0) this.idle.splice(i, 1);
    if (this.open.delete(connection)) connection.close();
  }
}
