import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/load-config.js';
import {
  corsHeadersWithoutOrigin,
  requestIsSecure,
  securityHeaderList,
  securityHeaderRecord,
} from '../http/http-security.js';
import { requestIdReader } from '../http/request-id.js';
import type { RateDecision } from '../rate-limit/rate-decision.js';
import { rateLimitHeaders, resetSecondsOf } from '../rate-limit/rate-limit-headers.js';

/**
 * The headers both roads send, worked out here and nowhere else: the request id, the security headers,
 * what CORS adds to a request without an Origin, and the rate-limit headers. Fastify's answers get them
 * from `install`'s hook (and EdgeGuard's `rateLimit`); the fast path writes the same lists itself.
 */
export class EdgeHeaders {
  readonly requestIdHeader: string;
  /** The request's id: the caller's when harmless, else a fresh UUID (as Fastify's `genReqId`). */
  readonly requestId: (req: IncomingMessage) => string;
  /** Whether a request came over HTTPS, as Fastify's `request.protocol` tells. */
  readonly secure: (req: IncomingMessage) => boolean;
  private readonly cors: readonly string[];

  constructor(config: AppConfig) {
    this.requestIdHeader = config.server.requestIdHeader;
    this.requestId = requestIdReader(this.requestIdHeader);
    this.secure = requestIsSecure(config.server.trustProxy);
    this.cors = corsHeadersWithoutOrigin(config);
  }

  /** The request id and the security headers on every answer Fastify gives, errors and 404s included. */
  install(fastify: FastifyInstance): void {
    const header = this.requestIdHeader;
    fastify.addHook('onRequest', (request, reply, done) => {
      void reply.header(header, request.id).headers(securityHeaderRecord(request.url, request.protocol === 'https'));
      done();
    });
  }

  /** True while CORS is on: a request with an Origin then needs the CORS plugin's answer. */
  get corsOn(): boolean {
    return this.cors.length > 0;
  }

  /** What every answer on a route carries whatever its body: CORS (no Origin), then security headers. */
  fixed(route: string, secure: boolean): readonly string[] {
    return [...this.cors, ...securityHeaderList(route, secure)];
  }

  /** The RateLimit headers of a decision, as `[name, value, ...]`, and the seconds they give to wait. */
  static rateLimit(decision: RateDecision): { headers: string[]; resetSeconds: number } {
    // Read the clock once: RateLimit-Reset and Retry-After must agree.
    const resetSeconds = resetSecondsOf(decision);
    return { headers: rateLimitHeaders(decision, resetSeconds), resetSeconds };
  }
}
