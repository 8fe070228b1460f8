import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A schema of one test file's own on the PostgreSQL server at `serverUrl`, and the URL that uses it. */
export interface TestSchema {
  /** `serverUrl` with `search_path` set to the schema: a DATABASE_URL for the apps under test. */
  url: string;
  drop(): Promise<void>;
}

export async function createTestSchema(serverUrl: string, prefix: string): Promise<TestSchema> {
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE SCHEMA ${schema}`);
  const url = new URL(serverUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}
