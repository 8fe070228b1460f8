import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { firstValueFrom, from, Observable } from 'rxjs';
import { CACHED_ROUTE, type CachedRouteOptions } from './cached-route.decorator.js';
import { ResilientCache } from './resilient-cache.service.js';

const JSON_TYPE = 'application/json; charset=utf-8';
/** Clients may keep a copy but must revalidate it (cheap with the ETag): a write is visible at once. */
const CACHE_CONTROL = 'private, no-cache';

/** An entry is `<etag>\n<body>`: a hit sends the stored bytes as they are, with no re-serializing. */
function encodeEntry(etag: string, body: string): string {
  return `${etag}\n${body}`;
}

function decodeEntry(entry: string): { etag: string; body: string } {
  const cut = entry.indexOf('\n');
  return { etag: entry.slice(0, cut), body: entry.slice(cut + 1) };
}

export function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** The cache key: method, path, and the allowlisted query parameters, sorted and trimmed. */
export function cacheKeyFor(request: FastifyRequest, allowed: readonly string[] = []): string {
  const path = request.url.split('?', 1)[0];
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

@Injectable()
export class CachedRouteInterceptor implements NestInterceptor {
  constructor(
    private readonly cache: ResilientCache,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<CachedRouteOptions>(CACHED_ROUTE, context.getHandler());
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (!options || request.method !== 'GET' || !this.cache.enabled) {
      return from(this.respondUncached(next, request, reply));
    }
    return from(this.respond(options, next, request, reply));
  }

  private async respond(
    options: CachedRouteOptions,
    next: CallHandler,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<unknown> {
    const key = await this.cache.keyFor(options.namespace, cacheKeyFor(request, options.query));
    // An error thrown by the handler reaches every request waiting on it, and nothing is cached.
    const found = await this.cache.wrap(key, async () => {
      const body = JSON.stringify(await firstValueFrom(next.handle()));
      return encodeEntry(etagOf(body), body);
    });
    const { etag, body } = decodeEntry(found.value);
    return this.send(reply, request, etag, body, found.tier === 'origin' ? 'MISS' : 'HIT');
  }

  private async respondUncached(next: CallHandler, request: FastifyRequest, reply: FastifyReply) {
    const body = JSON.stringify(await firstValueFrom(next.handle()));
    return this.send(reply, request, etagOf(body), body, 'MISS');
  }

  private send(
    reply: FastifyReply,
    request: FastifyRequest,
    etag: string,
    body: string,
    state: 'HIT' | 'MISS',
  ) {
    void reply.header('etag', etag).header('cache-control', CACHE_CONTROL).header('x-cache', state);
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) {
      void reply.status(304);
      return undefined;
    }
    void reply.header('content-type', JSON_TYPE);
    return body;
  }
}
