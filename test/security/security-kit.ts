import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearer, TEST_KEYS } from '../support/test-env.js';

export type Who = 'none' | 'alice' | 'bob' | 'admin';

/** The credentials of each caller in the tables: none, two clients, the admin key. */
export function authHeaders(who: Who): Record<string, string> {
  return who === 'none' ? {} : bearer(who === 'admin' ? TEST_KEYS.admin : TEST_KEYS[who]);
}

/** The one error shape of every 4xx/5xx answer (src/http/error-body.ts). */
export function isErrorBody(body: unknown, status: number): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return b.statusCode === status && typeof b.error === 'string' && typeof b.message === 'string';
}

export async function baseUrl(app: NestFastifyApplication): Promise<string> {
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

/** fetch with the caller's key; the body parsed as JSON when it is JSON. */
export async function call(
  base: string,
  method: string,
  path: string,
  who: Who,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...authHeaders(who),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}
