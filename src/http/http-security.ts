import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/load-config.js';

/** JSON answers never need to load anything, nor be framed. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/**
 * The two pages people open, Swagger UI (/docs) and Bull Board (/admin/queues): scripts from this origin
 * only, but both ship inline <style> blocks and data: images.
 */
const UI_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; " +
  "form-action 'self'";
const UI_PREFIXES = ['/docs', '/admin/queues'];

/** Headers CORS lets a browser read: the limiter's, the task's location, the request id. */
const EXPOSED = [
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'retry-after',
  'location',
  'etag',
];

/**
 * helmet's headers on every answer, errors and 404s included, registered on the Fastify instance before any
 * route. The CSP is set here rather than by helmet so the UI pages get theirs without a second hook.
 */
export function applySecurityHeaders(fastify: FastifyInstance): void {
  void fastify.register(helmet, { global: true, contentSecurityPolicy: false });
  fastify.addHook('onRequest', (request, reply, done) => {
    const url = request.url;
    void reply.header(
      'content-security-policy',
      UI_PREFIXES.some((p) => url.startsWith(p)) ? UI_CSP : API_CSP,
    );
    done();
  });
}

/** CORS stays off (no Access-Control-* headers at all) unless CORS_ORIGINS names the origins allowed. */
export function applyCors(app: NestFastifyApplication, config: AppConfig): void {
  const origins = config.security.corsOrigins;
  if (origins.length === 0) return;
  app.enableCors({
    origin: origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: [
      'authorization',
      'x-api-key',
      'content-type',
      'idempotency-key',
      'if-none-match',
      config.server.requestIdHeader,
    ],
    exposedHeaders: [...EXPOSED, config.server.requestIdHeader],
    // Keys travel in headers, never cookies.
    credentials: false,
    maxAge: 600,
  });
}
