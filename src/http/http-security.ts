import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
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
 * helmet's headers, worked out once: with the CSP set by us, every one of them is the same for every
 * request, so running helmet's thirteen middlewares per request (as @fastify/helmet does) only costs time.
 * Measured on a cached read: the per-request plugin halved the requests a second (docs/benchmarks.md).
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}

/**
 * helmet's headers on every answer, errors and 404s included, from a hook registered on the Fastify instance
 * before any route. The CSP is set here rather than by helmet so the UI pages get theirs.
 */
export function applySecurityHeaders(fastify: FastifyInstance): void {
  const base = helmetHeaders({ contentSecurityPolicy: false });
  const api = { ...base, 'content-security-policy': API_CSP };
  const ui = { ...base, 'content-security-policy': UI_CSP };
  fastify.addHook('onRequest', (request, reply, done) => {
    const url = request.url;
    void reply.headers(UI_PREFIXES.some((p) => url.startsWith(p)) ? ui : api);
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
