import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type AppConfig } from '../../src/config/load-config.js';

/** Keys every e2e test uses: two clients (to prove isolation) and an admin. */
export const TEST_KEYS = {
  admin: 'test-admin-key-0123456789abcdef',
  alice: 'test-alice-key-0123456789abcdef',
  bob: 'test-bob-key-0123456789abcdef00',
} as const;

export const TEST_API_KEYS = `root:admin:${TEST_KEYS.admin},alice:client:${TEST_KEYS.alice},bob:client:${TEST_KEYS.bob}`;

/**
 * The PostgreSQL that `.ci/run` provides (unset: PGlite only). Read here alone, so every spec, in src/ or
 * test/, finds the database the same way.
 */
export const TEST_POSTGRES_URL: string | undefined = process.env.TEST_DATABASE_URL || undefined;

/**
 * STRATA_EXTENSIONS for every app `testConfig` makes (unset: none). `.ci/run` sets it for a second pass of
 * the tests that read registries (task types, routes, cache namespaces, queues), with the example
 * extension loaded: an extension must break none of them. A test's own STRATA_EXTENSIONS wins.
 */
export const TEST_EXTENSIONS: string | undefined = process.env.TEST_EXTENSIONS || undefined;

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export function tempDir(prefix = 'strata-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A config with no Redis configured, as `npm start` has on a fresh machine (it may then run a private
 * redis-server from the `PATH`, which is this test process's own).
 */
export function noRedisConfig(dataDir: string): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    API_KEYS: TEST_API_KEYS,
    DATA_DIR: dataDir,
    PATH: process.env.PATH ?? '',
  });
}

/** A config for one test: its own Redis, its own data dir (PGlite), quiet logs. */
export function testConfig(redisUrl: string, env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    API_KEYS: TEST_API_KEYS,
    REDIS_URL: redisUrl,
    DATA_DIR: tempDir(),
    SHUTDOWN_DRAIN_MS: '0',
    // The limiter stays on in every test, with room for load tests; test/security sets real limits.
    RATE_LIMITS: 'default=1000000/60s',
    ...(TEST_EXTENSIONS ? { STRATA_EXTENSIONS: TEST_EXTENSIONS } : {}),
    ...env,
  });
}
