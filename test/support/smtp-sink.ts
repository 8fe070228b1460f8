import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface SmtpSinkOptions {
  user?: string;
  pass?: string;
  /** Random pause before answering each RCPT TO and each message's end: widens the windows a crash can hit. */
  jitterMs?: number;
}

export interface ReceivedMail {
  raw: Buffer;
  parsed: ParsedMail;
  envelopeTo: string[];
}

/**
 * A real SMTP server on loopback (the `smtp-server` package) that keeps every message it accepts, parsed
 * with `mailparser`. RCPT TO `nobody@...` is refused with 550. `dropReplyAfterAccept` makes it take the
 * next matching message and then cut the connection instead of answering 250: the client cannot know
 * that the message arrived.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** MAIL FROM commands seen: more than the messages received means transactions were cut short. */
  transactionsStarted = 0;
  /** Transactions whose connection closed after MAIL FROM and before the message's end arrived. */
  transactionsCutShort = 0;
  /** Sessions with a transaction under way (MAIL FROM seen, the message's end not yet). */
  private readonly open = new Set<string>();
  private dropNext?: (raw: Buffer) => boolean;

  private constructor(
    private readonly server: SMTPServer,
    private readonly options: SmtpSinkOptions,
  ) {}

  static async start(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
    let sink!: SmtpSink;
    const pause = () =>
      options.jitterMs
        ? new Promise((r) => setTimeout(r, Math.random() * options.jitterMs!))
        : Promise.resolve();
    const server = new SMTPServer({
      // Read to the end of what a client sent even after it vanished, as an MTA such as Postfix does:
      // a message whose terminator arrived is taken, rather than dropped with the socket's close.
      ...({ allowHalfOpen: true } as object),
      secure: false,
      hideSTARTTLS: true,
      disabledCommands: options.user ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      allowInsecureAuth: true,
      authOptional: !options.user,
      logger: false,
      size: 25 * 1024 * 1024,
      onAuth(auth, _session, callback) {
        if (auth.username === options.user && auth.password === options.pass)
          return callback(null, { user: auth.username });
        return callback(new Error('Invalid username or password'));
      },
      onMailFrom(_address, session, callback) {
        sink.transactionsStarted++;
        sink.open.add(session.id);
        callback();
      },
      onRcptTo(address, _session, callback) {
        // A permanent refusal for one reserved local part, to exercise the 5xx path.
        if (address.address.startsWith('nobody@')) {
          return callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
        }
        void pause().then(() => callback());
      },
      onClose(session) {
        if (sink.open.delete(session.id)) sink.transactionsCutShort++;
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => void sink.accept(Buffer.concat(chunks), session, callback, pause));
      },
    });
    // A client killed mid-session resets its connection; that is the point of some tests, not a failure.
    server.on('error', () => undefined);
    sink = new SmtpSink(server, options);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return sink;
  }

  /** How many transactions are under way now. */
  get openTransactions(): number {
    return this.open.size;
  }

  get url(): string {
    const port = (this.server.server.address() as AddressInfo).port;
    const auth = this.options.user
      ? `${encodeURIComponent(this.options.user)}:${encodeURIComponent(this.options.pass ?? '')}@`
      : '';
    return `smtp://${auth}127.0.0.1:${port}`;
  }

  dropReplyAfterAccept(match: (raw: Buffer) => boolean): void {
    this.dropNext = match;
  }

  messageIds(): string[] {
    return this.received.map((m) => m.parsed.messageId ?? '');
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async accept(
    raw: Buffer,
    session: SMTPServerSession,
    callback: (err?: Error | null) => void,
    pause: () => Promise<unknown>,
  ): Promise<void> {
    // Stored the moment the whole message is in: this is the server's commit point.
    this.open.delete(session.id);
    this.received.push({
      raw,
      parsed: await simpleParser(raw),
      envelopeTo: session.envelope.rcptTo.map((r) => r.address),
    });
    if (this.dropNext?.(raw)) {
      this.dropNext = undefined;
      // smtp-server offers no "hang up instead of answering": find this session's socket and destroy it.
      const connections = (
        this.server as unknown as {
          connections: Set<{ session: SMTPServerSession; _socket: { destroy(): void } }>;
        }
      ).connections;
      for (const c of connections) if (c.session.id === session.id) c._socket.destroy();
      return;
    }
    await pause();
    callback();
  }
}
