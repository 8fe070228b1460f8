import { ConfigError } from './config-error.js';
import { EXAMPLE_API_KEYS, sha256 } from './auth.config.js';
import { loadConfig } from './load-config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c.server).toMatchObject({
      port: 3000,
      role: 'all',
      dataDir: './var',
      logLevel: 'info',
      shutdownGraceMs: 10_000,
    });
    expect(c.redis).toMatchObject({
      cache: { kind: 'standalone', node: { host: '127.0.0.1', port: 6379 }, db: 0 },
      queue: { kind: 'standalone', node: { host: '127.0.0.1', port: 6379 }, db: 0 },
      autoStart: true,
    });
    expect(c.database.url).toBeUndefined();
    expect(c.auth).toMatchObject({ keys: [], generateDevKeys: true });
  });

  it('defaults QUEUE_REDIS_URL to REDIS_URL', () => {
    const c = loadConfig({ REDIS_URL: 'redis://cache:6380/2' });
    expect(c.redis).toMatchObject({
      cache: { node: { host: 'cache', port: 6380 }, db: 2 },
      queue: { node: { host: 'cache', port: 6380 }, db: 2 },
      autoStart: false,
    });
  });

  it('names every bad variable, without echoing values', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      APP_ROLE: 'boss',
      REDIS_URL: 'http://x',
      DATABASE_URL: 'mysql://x',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'APP_ROLE',
      'DATABASE_URL',
      'PORT',
      'REDIS_URL',
    ]);
    expect(problems.join('\n')).not.toContain('eighty');
  });

  it('parses API keys, plain or as sha256, and never keeps the plain key', () => {
    const hex = sha256('a-very-secret-client-key').toString('hex');
    const c = loadConfig({
      API_KEYS: `ops:admin:a-very-secret-admin-key, bob:client:sha256:${hex}`,
    });
    expect(c.auth.keys.map((k) => [k.id, k.role])).toEqual([
      ['ops', 'admin'],
      ['bob', 'client'],
    ]);
    expect(c.auth.keys[1].sha256.equals(sha256('a-very-secret-client-key'))).toBe(true);
    expect(JSON.stringify(c)).not.toContain('a-very-secret-admin-key');
  });

  it('rejects malformed key entries by position, never printing the key', () => {
    const problems = problemsOf({
      API_KEYS: 'ops:root:short,ops:admin:sha256:zz',
    });
    expect(problems.join('\n')).toMatch(/API_KEYS: entry 1 \(ops\): role must be admin or client/);
    expect(problems.join('\n')).toMatch(/entry 1 \(ops\): key must be at least 16 characters/);
    expect(problems.join('\n')).toMatch(/entry 2 \(ops\): duplicate id/);
    expect(problems.join('\n')).not.toContain('short');
  });

  it('refuses production without keys or with the example keys', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual(['API_KEYS: required when NODE_ENV=production']);
    expect(problemsOf({ NODE_ENV: 'production', API_KEYS: EXAMPLE_API_KEYS })[0]).toMatch(/example keys/);
    expect(
      loadConfig({
        NODE_ENV: 'production',
        API_KEYS: 'ops:admin:a-real-production-key-42',
      }).auth.generateDevKeys,
    ).toBe(false);
  });

  it('reads <TYPE>_CONCURRENCY for any type name, and names a bad value', () => {
    const c = loadConfig({
      JOB_SEARCH_CONCURRENCY: '3',
      SOME_EXTENSION_CONCURRENCY: '7',
      PDF_CONCURRENCY: '',
    });
    expect(c.queue.concurrency).toEqual({ 'job-search': 3, 'some-extension': 7 });
    expect(problemsOf({ PROBE_CONCURRENCY: 'many', EMAIL_CONCURRENCY: '0' }).sort()).toEqual([
      'EMAIL_CONCURRENCY: must be a whole number from 1 to 1000',
      'PROBE_CONCURRENCY: must be a whole number from 1 to 1000',
    ]);
  });

  it('lets READINESS_REQUIRES override the role default', () => {
    expect(loadConfig({ APP_ROLE: 'worker' }).server.readinessRequires).toEqual(['redis-queue']);
    expect(loadConfig({ APP_ROLE: 'api' }).server.readinessRequires).toEqual([]);
    expect(loadConfig({ READINESS_REQUIRES: 'database, redis-cache' }).server.readinessRequires).toEqual([
      'database',
      'redis-cache',
    ]);
    expect(problemsOf({ READINESS_REQUIRES: 'mongo' })[0]).toMatch(/^READINESS_REQUIRES/);
  });
});
