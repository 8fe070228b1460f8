import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setHeaderList } from '../http/header-list.js';

const JSON_TYPE = 'application/json; charset=utf-8';
/** Clients may keep a copy but must revalidate it (cheap with the ETag): a write is visible at once. */
const CACHE_CONTROL = 'private, no-cache';

/** An entry is `<etag>\n<body>`: a hit sends the stored bytes as they are, with no re-serializing. */
export function encodeEntry(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"\n${body}`;
}

/**
 * The cache key: method, path, and the allowlisted query parameters (from the parsed `query`), sorted
 * and trimmed. The path is the URL's as sent, so two spellings of one resource are two entries.
 */
export function cacheKeyFor(
  method: string,
  url: string,
  query: Record<string, unknown> | undefined,
  allowed: readonly string[] = [],
): string {
  const cut = url.indexOf('?');
  const path = cut === -1 ? url : url.slice(0, cut);
  if (allowed.length === 0) return `${method} ${path}`;
  const given = query ?? {};
  const params = allowed
    .filter((name) => given[name] !== undefined)
    .sort()
    .map((name) => `${encodeURIComponent(name)}=${encodeURIComponent(String(given[name]).trim())}`);
  return `${method} ${path}${params.length ? `?${params.join('&')}` : ''}`;
}

function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** A stored entry, taken apart: what a hit needs, worked out once per entry (see ResilientCache.peekAs). */
export interface CachedEntry {
  etag: string;
  body: string | Buffer;
  /** The body's length in bytes, as the Content-Length header says it. */
  length: string;
  /** For an entry kept and answered many times: its two hit answers (200, then 304), made once. */
  hits?: readonly [CachedAnswer, CachedAnswer];
}

/**
 * For one answer (a Redis-tier hit, the interceptor's): the body stays a string, which Node encodes as
 * it writes it; turning it into bytes first would be the same copy, made once more.
 */
export function decodeEntry(entry: string): CachedEntry {
  const cut = entry.indexOf('\n');
  const body = entry.slice(cut + 1);
  return { etag: entry.slice(0, cut), body, length: String(Buffer.byteLength(body)) };
}

/**
 * For an entry kept and answered many times (the memory tier): the body as the bytes that go out (a
 * string would be joined to the header block and encoded again on every write: 2.3 KB more garbage a
 * hit of /v1/taxonomy/masks, docs/benchmarks.md), and its hit answers, so a hit builds neither.
 */
export function decodeKeptEntry(entry: string): CachedEntry {
  const decoded = decodeEntry(entry);
  const kept = { ...decoded, body: Buffer.from(decoded.body) };
  return { ...kept, hits: [answerOf(kept, 'HIT', false), answerOf(kept, 'HIT', true)] };
}

/** A cached answer as it goes out: the status, its headers as `[name, value, ...]`, and the body (none for 304). */
export interface CachedAnswer {
  status: 200 | 304;
  headers: readonly string[];
  body?: string | Buffer;
}

/**
 * The answer to a request for a cached entry: a 304 when the client's copy is current, else the stored
 * body. One function for the interceptor and the fast path, so both answer alike.
 */
export function cachedAnswer(
  entry: CachedEntry,
  ifNoneMatch: string | undefined,
  state: 'HIT' | 'MISS',
): CachedAnswer {
  const notModified = matchesIfNoneMatch(ifNoneMatch, entry.etag);
  if (state === 'HIT' && entry.hits) return entry.hits[notModified ? 1 : 0];
  return answerOf(entry, state, notModified);
}

function answerOf(entry: CachedEntry, state: 'HIT' | 'MISS', notModified: boolean): CachedAnswer {
  const headers = ['etag', entry.etag, 'cache-control', CACHE_CONTROL, 'x-cache', state];
  if (notModified) return { status: 304, headers };
  headers.push('content-type', JSON_TYPE, 'content-length', entry.length);
  return { status: 200, headers, body: entry.body };
}

/** Puts a cached answer on a Fastify reply; returns the body to send (undefined for a 304). */
export function prepareCachedReply(
  reply: FastifyReply,
  request: FastifyRequest,
  entry: CachedEntry,
  state: 'HIT' | 'MISS',
): string | Buffer | undefined {
  const answer = cachedAnswer(entry, request.headers['if-none-match'], state);
  setHeaderList(reply, answer.headers);
  void reply.status(answer.status);
  return answer.body;
}
