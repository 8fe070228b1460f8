import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Past this, a body still not handed to the network means a stuck connection: the attempt fails. */
const FLUSH_TIMEOUT_MS = 30_000;

/**
 * The message body for one SMTP transaction, ending only once `commit` has been sent. The server takes
 * the message when it reads the final "<CRLF>.<CRLF>", which the SMTP connection writes when this
 * stream ends; the connection starts reading it only after the server's 354 to DATA. Before committing,
 * it waits until the whole body has left the process (the socket's buffer is empty and it has written at
 * least the body's length), so that only the few bytes of the terminator remain. Then, in one turn of the
 * event loop, it writes the "committing" command to Redis and ends the stream: a crash can leave a
 * "committing" record for a message the server never completed only between those two writes, not for a
 * Redis round trip plus however long a loaded event loop takes to read the reply. `commit` throws,
 * synchronously, when it may not commit (its lease is nearly over, the ledger is unreachable): the stream
 * is then destroyed, which aborts the transaction before the server can accept anything. Its reply is
 * `committed`, for the caller to check once the server has answered.
 */
export class CommitGatedMessage extends Readable {
  private socket?: Socket;
  private startBytes = 0;
  private sent = false;
  private committing = false;
  /** Whether Redis recorded "committing"; undefined until the command was sent. */
  committed?: Promise<boolean>;

  constructor(
    private readonly eml: Buffer,
    private readonly commit: () => Promise<boolean>,
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
    this.bodyFlushed().then(
      () => {
        try {
          this.committed = this.commit();
        } catch (err) {
          return this.destroy(err as Error);
        }
        this.committed.catch(() => undefined); // the caller reads it
        this.push(null);
      },
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
