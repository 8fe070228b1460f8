import { PermanentTaskError } from '../../tasks/task-processor.host.js';
import { ProviderHttpError } from './provider-http.error.js';
import { parseRetryAfter } from './retry-after.util.js';

export interface BoundedFetchOptions {
  /** Names the provider in errors. */
  provider: string;
  headers?: Record<string, string>;
  /** The whole exchange, redirects and body included. */
  timeoutMs: number;
  maxBytes: number;
  /** Aborted when the task is cancelled. */
  signal?: AbortSignal;
}

export interface BoundedResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

const MAX_REDIRECTS = 3;

/**
 * A GET that a misbehaving provider cannot turn against the worker: it ends after `timeoutMs`, follows
 * redirects only within the configured origin (a redirect elsewhere could reach internal hosts), and
 * stops reading once the body passes `maxBytes` instead of buffering whatever is sent. Non-2xx answers
 * become ProviderHttpError.
 */
export async function boundedFetch(url: string, options: BoundedFetchOptions): Promise<BoundedResponse> {
  const signal = AbortSignal.any(
    [AbortSignal.timeout(options.timeoutMs), options.signal].filter((s): s is AbortSignal => !!s),
  );
  const origin = new URL(url).origin;
  let current = url;
  try {
    for (let hop = 0; ; hop++) {
      const res = await fetch(current, { headers: options.headers, redirect: 'manual', signal });
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        const next = new URL(location, current);
        if (next.origin !== origin) {
          throw new PermanentTaskError(`${options.provider} redirected to another host; not followed`);
        }
        if (hop >= MAX_REDIRECTS) throw new PermanentTaskError(`${options.provider}: too many redirects`);
        current = next.href;
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new ProviderHttpError(
          options.provider,
          res.status,
          parseRetryAfter(res.headers.get('retry-after')),
        );
      }
      return {
        status: res.status,
        contentType: res.headers.get('content-type') ?? '',
        body: await readCapped(res, options),
      };
    }
  } catch (err) {
    // fetch and the body reader both reject with the timeout signal's reason, a DOMException.
    if (!options.signal?.aborted && (err as Error)?.name === 'TimeoutError') {
      throw new Error(`${options.provider} did not answer within ${options.timeoutMs} ms`);
    }
    throw err;
  }
}

async function readCapped(res: Response, options: BoundedFetchOptions): Promise<Buffer> {
  const tooLarge = () =>
    new PermanentTaskError(`${options.provider}'s answer is larger than ${options.maxBytes} bytes; refused`);
  const declared = Number(res.headers.get('content-length'));
  if (declared > options.maxBytes) {
    await res.body?.cancel();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > options.maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
