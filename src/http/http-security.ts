import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import helmet, { type HelmetOptions } from 'helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/load-config.js';

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
 * What every JSON answer carries: the set OWASP's REST Security Cheat Sheet asks of API responses, from
 * helmet. A JSON body is never rendered as a document, so the headers that only act on documents
 * (Cross-Origin-Opener-Policy, Origin-Agent-Cluster, X-DNS-Prefetch-Control, X-Download-Options,
 * X-Permitted-Cross-Domain-Policies, X-XSS-Protection) are left to the UI pages. Each header is paid
 * for by every answer, on both ends: the six dropped ones cost a cached read a tenth of its requests a
 * second (docs/security.md). CORP stays: it stops a page elsewhere embedding an answer (no-cors reads).
 * Strict-Transport-Security is not in it: see `securityHeaderList`.
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...helmetHeaders({
    contentSecurityPolicy: false,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    strictTransportSecurity: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
    xFrameOptions: { action: 'deny' },
  }),
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
});

/** helmet's default HSTS (one year, subdomains included), for answers to HTTPS requests. */
const HSTS_HEADER = 'strict-transport-security';
const HSTS = Object.freeze({ [HSTS_HEADER]: helmetHeaders({})[HSTS_HEADER] });

const UI_HEADERS = Object.freeze({
  ...helmetHeaders({ contentSecurityPolicy: false, strictTransportSecurity: false }),
  'content-security-policy': UI_CSP,
});

/** A header set as Fastify's `reply.headers` takes it and as `[name, value, ...]` for the fast path. */
interface HeaderSet {
  record: Readonly<Record<string, string>>;
  list: readonly string[];
}
const headerSet = (record: Readonly<Record<string, string>>): HeaderSet => ({
  record,
  list: Object.freeze(Object.entries(record).flat()),
});
/** `[plain HTTP, HTTPS]`: a set, and the same with HSTS added. */
const withHsts = (set: Readonly<Record<string, string>>) =>
  [headerSet(set), headerSet(Object.freeze({ ...set, ...HSTS }))] as const;
const API_SETS = withHsts(API_SECURITY_HEADERS);
const UI_SETS = withHsts(UI_HEADERS);

/** The security headers of an answer to `url`; `secure`: the request came over HTTPS. */
function securityHeaders(url: string, secure: boolean): HeaderSet {
  return (isUiPage(url) ? UI_SETS : API_SETS)[secure ? 1 : 0];
}

function isUiPage(url: string): boolean {
  return UI_PREFIXES.some((prefix) => url.startsWith(prefix));
}

/** The security headers of an answer to `url`, as Fastify's `reply.headers` takes them (src/edge/edge-headers.ts). */
export function securityHeaderRecord(url: string, secure: boolean): Readonly<Record<string, string>> {
  return securityHeaders(url, secure).record;
}

/**
 * The same headers as `[name, value, ...]`, for answers written without Fastify (the cached-read fast
 * path): `secure` says whether the request came over HTTPS, as `requestIsSecure` tells.
 *
 * Strict-Transport-Security goes only on answers to HTTPS requests. RFC 6797 says an HSTS host must not
 * send it over plain HTTP (7.2), and browsers ignore it there (8.1). Strata itself speaks plain HTTP
 * behind a TLS-terminating proxy, so it knows a request was HTTPS only from the proxy's
 * X-Forwarded-Proto, which it reads when TRUST_PROXY is set (docs/security.md).
 */
export function securityHeaderList(url: string, secure: boolean): readonly string[] {
  return securityHeaders(url, secure).list;
}

/**
 * Whether a request came over HTTPS, the way Fastify's `request.protocol` works it out: a TLS socket, or,
 * when the proxy is trusted, the last entry of X-Forwarded-Proto.
 */
export function requestIsSecure(trustProxy: boolean): (req: IncomingMessage) => boolean {
  return (req) => {
    const forwarded = trustProxy ? req.headers['x-forwarded-proto'] : undefined;
    if (typeof forwarded === 'string' && forwarded !== '') {
      return forwarded.slice(forwarded.lastIndexOf(',') + 1).trim() === 'https';
    }
    return (req.socket as TLSSocket | null)?.encrypted === true;
  };
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
    exposedHeaders: exposedHeaders(config),
    // Keys travel in headers, never cookies.
    credentials: false,
    maxAge: 600,
  });
}

function exposedHeaders(config: AppConfig): string[] {
  return [...EXPOSED, config.server.requestIdHeader];
}

/**
 * What @fastify/cors (as `applyCors` sets it up) adds to an answer to a request without an Origin, as
 * `[name, value, ...]`: nothing while CORS is off. For answers written without Fastify; the fast-path
 * test compares them with the plugin's.
 */
export function corsHeadersWithoutOrigin(config: AppConfig): readonly string[] {
  if (config.security.corsOrigins.length === 0) return [];
  return ['vary', 'Origin', 'access-control-expose-headers', exposedHeaders(config).join(', ')];
}
