import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Exchange } from './contract-validator.js';

/** Bodies past this are not kept (a load test's answers): only status and headers are checked then. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

type Listener = (exchange: Exchange) => void;
const servers = new WeakMap<Server, Listener>();
let subscribed = false;

/**
 * Calls `listener` with every answer `server` sends, as sent: status, headers (set with `setHeader` or
 * passed to `writeHead`, as Fastify and the cached-read fast path do) and body bytes. It listens on Node's
 * public `http.server.request.start` diagnostics channel, so the server keeps its own single `request`
 * listener (the fast path insists on that) and nothing in the app knows it is watched.
 */
export function tapResponses(server: Server, listener: Listener): void {
  servers.set(server, listener);
  if (subscribed) return;
  subscribed = true;
  diagnostics.subscribe('http.server.request.start', (message) => {
    const {
      request,
      response,
      server: from,
    } = message as {
      request: IncomingMessage;
      response: ServerResponse;
      server: Server;
    };
    const tap = servers.get(from);
    if (tap) record(request, response, tap);
  });
}

function record(req: IncomingMessage, res: ServerResponse, listener: Listener): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let kept = true;
  let written: Record<string, string> = {};
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function' || !kept) return;
    // ArrayBuffer.isView, not instanceof: bytes made by Node's own modules come from outside Jest's realm.
    const buffer = ArrayBuffer.isView(chunk)
      ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    size += buffer.length;
    if (size > MAX_BODY_BYTES) kept = false;
    else chunks.push(buffer);
  };
  const { write, end, writeHead } = res;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const headers = args.find((a, i) => i > 0 && typeof a === 'object' && a !== null);
    written = { ...written, ...headerObject(headers) };
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];

  let reported = false;
  const report = (complete: boolean) => {
    if (reported || !res.headersSent) return;
    reported = true;
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries({ ...res.getHeaders(), ...written }))
      headers[name.toLowerCase()] = Array.isArray(value)
        ? value.join(', ')
        : value === undefined
          ? undefined
          : String(value);
    listener({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      status: res.statusCode,
      headers,
      body: kept ? Buffer.concat(chunks) : Buffer.alloc(0),
      complete: complete && kept,
    });
  };
  res.once('finish', () => report(true));
  res.once('close', () => report(res.writableFinished));
}

/** `writeHead`'s headers: an object, `[name, value, ...]`, or `[[name, value], ...]`. */
function headerObject(headers: unknown): Record<string, string> {
  if (!headers) return {};
  const out: Record<string, string> = {};
  if (Array.isArray(headers)) {
    if (Array.isArray(headers[0]))
      for (const [k, v] of headers as [string, unknown][]) out[k.toLowerCase()] = String(v);
    else
      for (let i = 0; i < headers.length; i += 2)
        out[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
    return out;
  }
  for (const [k, v] of Object.entries(headers as Record<string, unknown>))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}
