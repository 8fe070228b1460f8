import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Past this, a body still not handed to the network means a stuck connection: the attempt fails. */
const FLUSH_TIMEOUT_MS = 30_000;

/**
 * The message body for one SMTP transaction, ending only once `commit` has resolved. The server takes
 * the message when it reads the final "<CRLF>.<CRLF>", which the SMTP connection writes when this
 * stream ends; the connection starts reading it only after the server's 354 to DATA. Before committing,
 * it waits until the whole body has left the process (the socket's buffer is empty and it has written at
 * least the body's length), so that after the commit only the few bytes of the terminator remain: the
 * time in which a crash could leave a "committing" record for a message the server never completed is
 * the few synchronous steps from the commit's reply to that one write. A failed commit destroys the
 * stream, which aborts the transaction before the server can accept anything.
 */
export class CommitGatedMessage extends Readable {
  private socket?: Socket;
  private startBytes = 0;
  private sent = false;
  private committing = false;

  constructor(
    private readonly eml: Buffer,
    private readonly commit: () => Promise<void>,
  ) {
    super();
  }

  /** The connection's socket; set by the pool before the transaction starts. */
  bind(socket: Socket | undefined): void {
    this.socket = socket;
  }

  override _read(): void {
    if (!this.sent) {
      this.sent = true;
      this.startBytes = this.socket?.bytesWritten ?? 0;
      this.push(this.eml);
      return;
    }
    if (this.committing) return;
    this.committing = true;
    this.bodyFlushed()
      .then(() => this.commit())
      .then(
        () => this.push(null),
        (err: Error) => this.destroy(err),
      );
  }

  private async bodyFlushed(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    const deadline = Date.now() + FLUSH_TIMEOUT_MS;
    while (socket.writableLength > 0 || socket.bytesWritten - this.startBytes < this.eml.length) {
      if (socket.destroyed) throw new Error('the SMTP connection closed while sending the message');
      if (Date.now() > deadline) throw new Error('the message body was not sent within 30 s');
      await nextTurn();
    }
  }
}
