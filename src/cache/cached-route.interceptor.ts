import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { firstValueFrom, from, type Observable, of } from 'rxjs';
import { CACHED_ROUTE, type CachedRouteOptions } from './cached-route.options.js';
import {
  cacheKeyFor,
  decodeEntry,
  decodeKeptEntry,
  encodeEntry,
  prepareCachedReply,
} from './cached-response.util.js';
import { ResilientCache } from './resilient-cache.service.js';

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
    const key = this.cache.peekKey(options.namespace, this.keyOf(request, options));
    // A memory hit is answered in this turn: no promise, no await, one `of` (the Nest road's hot path).
    const kept = key === undefined ? undefined : this.cache.peekAs(key, decodeKeptEntry, { countMiss: false });
    if (kept !== undefined) return of(prepareCachedReply(reply, request, kept, 'HIT'));
    return from(this.respond(options, next, request, reply));
  }

  private keyOf(request: FastifyRequest, options: CachedRouteOptions): string {
    return cacheKeyFor(request.method, request.url, request.query as Record<string, unknown>, options.query);
  }

  private async respond(
    options: CachedRouteOptions,
    next: CallHandler,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<unknown> {
    const key = await this.cache.keyFor(options.namespace, this.keyOf(request, options));
    // An error thrown by the handler reaches every request waiting on it, and nothing is cached.
    const found = await this.cache.wrap(key, async () =>
      encodeEntry(JSON.stringify(await firstValueFrom(next.handle()))),
    );
    const state = found.tier === 'origin' ? 'MISS' : 'HIT';
    return prepareCachedReply(reply, request, decodeEntry(found.value), state);
  }

  private async respondUncached(next: CallHandler, request: FastifyRequest, reply: FastifyReply) {
    const entry = encodeEntry(JSON.stringify(await firstValueFrom(next.handle())));
    return prepareCachedReply(reply, request, decodeEntry(entry), 'MISS');
  }
}
