// The PostgreSQL server the benches may use besides embedded PGlite: BENCH_DATABASE_URL, else the tests'
// TEST_DATABASE_URL, else the local one. Each bench makes databases of its own there and drops them.
import pg from 'pg';

export const POSTGRES_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

export async function postgresAnswers() {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs `sql` on the server of POSTGRES_URL (its own database), for creating and dropping ours. */
export async function onPostgres(sql) {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** POSTGRES_URL with another database. */
export function databaseUrl(name) {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.href;
}
