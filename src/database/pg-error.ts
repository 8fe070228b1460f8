/** The fields node-postgres and PGlite both put on a server error. */
export interface PgServerError {
  code: string;
  constraint?: string;
}

/**
 * The PostgreSQL error behind `err`, if any. Drizzle wraps driver errors in `DrizzleQueryError`, so the
 * SQLSTATE is found by walking `cause`.
 */
export function pgErrorOf(err: unknown): PgServerError | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as Error).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return e as PgServerError;
  }
  return undefined;
}
