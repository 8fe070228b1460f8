import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer; unscripted requests get `answer` in the form the request asked for. */
export type OpenAiReply =
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  /** 200 with one JSON body even if the client asked for a stream (a server without streaming). */
  | { kind: 'json' };

export interface RecordedChatRequest {
  at: number;
  headers: IncomingMessage['headers'];
  body: {
    model: string;
    stream?: boolean;
    messages: { role: string; content: string }[];
    [key: string]: unknown;
  };
}

/**
 * A loopback server speaking the OpenAI chat-completions protocol: `POST /v1/chat/completions`, streamed
 * as Server-Sent Events (`data: {chunk}` ... `data: [DONE]`) when the request says `stream: true`, one
 * JSON body otherwise. The answer names the person from the user message, so a test can find it in the
 * task's result. Every request is recorded; `script` queues special replies (errors, non-streaming).
 */
export class OpenAiServer {
  readonly requests: RecordedChatRequest[] = [];
  readonly script: OpenAiReply[] = [];
  /** Pause between streamed chunks, so progress can be seen while the answer arrives. */
  chunkDelayMs = 40;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<OpenAiServer> {
    const server = createServer();
    const stub = new OpenAiServer(server);
    server.on('request', (req, res) => void stub.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return stub;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  static answerFor(name: string): string {
    return `${name} builds calm systems.\n\nAcross two roles, ${name} led migrations and built queues.`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedChatRequest['body'];
    this.requests.push({ at: Date.now(), headers: req.headers, body });
    const reply = this.script.shift();
    if (reply?.kind === 'status') {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify({ error: { message: `scripted ${reply.status}`, type: 'test' } }));
      return;
    }
    const user = JSON.parse(body.messages.find((m) => m.role === 'user')?.content ?? '{}') as {
      name?: string;
    };
    const text = OpenAiServer.answerFor(user.name ?? 'Someone');
    const usage = { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 };
    if (!body.stream || reply?.kind === 'json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-test',
          object: 'chat.completion',
          model: `${body.model}-2025`,
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (data: unknown) =>
      res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    const chunk = (delta: object, extra: object = {}) => ({
      id: 'chatcmpl-test',
      object: 'chat.completion.chunk',
      model: `${body.model}-2025`,
      choices: [{ index: 0, delta, finish_reason: null }],
      ...extra,
    });
    send(chunk({ role: 'assistant', content: '' }));
    for (const word of text.match(/\S+\s*/g) ?? []) {
      send(chunk({ content: word }));
      await new Promise((r) => setTimeout(r, this.chunkDelayMs));
    }
    send({
      id: 'chatcmpl-test',
      object: 'chat.completion.chunk',
      model: `${body.model}-2025`,
      choices: [],
      usage,
    });
    send('[DONE]');
    res.end();
  }
}
