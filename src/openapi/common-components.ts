import { STATUS_CODES } from 'node:http';
import type { HeaderDoc, RouteAccess } from '../http/route-doc.js';

export const ERROR_REF = { $ref: '#/components/schemas/ErrorBody' };

/** The schemes of `security` per access; `[]` (no requirement) for public routes. */
export const SECURITY: Record<RouteAccess, Record<string, string[]>[]> = {
  public: [],
  key: [{ bearer: [] }, { apiKey: [] }],
  admin: [{ bearer: [] }, { apiKey: [] }],
  'metrics-token': [{ metricsToken: [] }],
  'basic-admin': [{ adminBasic: [] }],
};

export const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <key>`' },
  apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key: `X-API-Key: <key>`' },
  metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when it is set' },
  adminBasic: { type: 'http', scheme: 'basic', description: 'user: an admin key id; password: the key' },
};

/** Errors an access implies: every call with a key counts against that key's rate limit (src/rate-limit/). */
export const ACCESS_ERRORS: Record<RouteAccess, number[]> = {
  public: [],
  key: [401, 429],
  admin: [401, 403, 429],
  'metrics-token': [401],
  'basic-admin': [401],
};

export function errorText(status: number, limits: { bodyBytes: number }): string {
  const text: Record<number, string> = {
    400: 'Invalid input; `details` lists `{ field, message }` for each problem',
    401: 'No credentials, or unknown ones',
    403: 'An admin key is required',
    404: 'Not found',
    409: 'Conflicts with the current state',
    413: `The body is larger than ${limits.bodyBytes} bytes (BODY_LIMIT_BYTES)`,
    422: 'Valid, but refers to something that does not exist',
    429: 'Rate limit exceeded; retry after `Retry-After` seconds (`RateLimit-*` headers say how much is left)',
    503: 'A dependency (Redis) is unavailable; retry after `Retry-After` seconds',
  };
  return text[status] ?? STATUS_CODES[status] ?? 'Error';
}

/** Headers each error status carries. */
export const ERROR_HEADERS: Record<number, Extract<HeaderDoc, string>[]> = {
  429: ['Retry-After', 'RateLimit'],
  503: ['Retry-After'],
};

const int = { type: 'integer', minimum: 0 };

/** `components.headers`: a header a response names is one of these, referenced. */
export function commonHeaders(requestIdHeader: string): Record<string, Record<string, unknown>> {
  return {
    'X-Request-Id': {
      description: `The request's id (the \`${requestIdHeader}\` header): the caller's when it sent a safe one, else a UUID`,
      required: true,
      schema: { type: 'string', example: '0f8fad5b-d9cb-469f-a165-70867728950e' },
    },
    Location: { description: 'Where the created resource is', required: true, schema: { type: 'string' } },
    ETag: {
      description: 'The version of this answer; send it back as `If-None-Match`',
      required: true,
      schema: { type: 'string', example: '"k3x9f0q"' },
    },
    'X-Cache': {
      description: 'Whether the answer came from the cache',
      required: true,
      schema: { type: 'string', enum: ['HIT', 'MISS'] },
    },
    'Cache-Control': {
      description: 'Clients may keep a copy but must revalidate it',
      required: true,
      schema: { type: 'string', example: 'private, no-cache' },
    },
    'RateLimit-Limit': {
      description: "The key's budget in the current window (absent with RATE_LIMITS_ENABLED=false)",
      schema: int,
    },
    'RateLimit-Remaining': { description: 'What is left of it', schema: int },
    'RateLimit-Reset': { description: 'Seconds until the window frees room', schema: int },
    'Retry-After': { description: 'Seconds to wait before trying again', required: true, schema: int },
    'WWW-Authenticate': { description: 'The scheme to authenticate with', schema: { type: 'string' } },
    'Content-Disposition': {
      description: 'The file name to save it as',
      required: true,
      schema: { type: 'string', example: 'attachment; filename="task.pdf"' },
    },
  };
}
