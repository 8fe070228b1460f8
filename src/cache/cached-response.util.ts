import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

const JSON_TYPE = 'application/json; charset=utf-8';
/** Clients may keep a copy but must revalidate it (cheap with the ETag): a write is visible at once. */
const CACHE_CONTROL = 'private, no-cache';

/** An entry is `<etag>\n<body>`: a hit sends the stored bytes as they are, with no re-serializing. */
export function encodeEntry(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"\n${body}`;
}

/** The cache key: method, path, and the allowlisted query parameters, sorted and trimmed. */
export function cacheKeyFor(request: FastifyRequest, allowed: readonly string[] = []): string {
  const url = request.url;
  const cut = url.indexOf('?');
  const path = cut === -1 ? url : url.slice(0, cut);
  if (allowed.length === 0) return `${request.method} ${path}`;
  const query = (request.query ?? {}) as Record<string, unknown>;
  const params = allowed
    .filter((name) => query[name] !== undefined)
    .sort()
    .map((name) => `${encodeURIComponent(name)}=${encodeURIComponent(String(query[name]).trim())}`);
  return `${request.method} ${path}${params.length ? `?${params.join('&')}` : ''}`;
}

function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * Sets the headers of a cached answer and returns the body to send, or undefined for a 304 when the
 * client's copy is current. Shared by the interceptor and the fast path, so both answer alike.
 */
export function prepareCachedReply(
  reply: FastifyReply,
  request: FastifyRequest,
  entry: string,
  state: 'HIT' | 'MISS',
): string | undefined {
  const cut = entry.indexOf('\n');
  const etag = entry.slice(0, cut);
  void reply.header('etag', etag).header('cache-control', CACHE_CONTROL).header('x-cache', state);
  if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) {
    void reply.status(304);
    return undefined;
  }
  void reply.header('content-type', JSON_TYPE);
  return entry.slice(cut + 1);
}
