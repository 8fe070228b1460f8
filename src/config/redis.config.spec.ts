import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../test/support/test-env.js';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('redis config', () => {
  const dir = tempDir('strata-redis-config-');
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, PEM);

  it('gives the queue its own topology, or the cache one when QUEUE_REDIS_URL is unset', () => {
    const split = loadConfig({
      REDIS_URL: 'redis://cache:6379',
      QUEUE_REDIS_URL: 'redis+sentinel://s1:26379,s2:26379/queue-master',
    }).redis;
    expect(split.cache).toMatchObject({ kind: 'standalone', node: { host: 'cache' } });
    expect(split.queue).toMatchObject({ kind: 'sentinel', masterName: 'queue-master' });
    expect(loadConfig({ REDIS_URL: 'redis+cluster://a:7000' }).redis.queue).toMatchObject({
      kind: 'cluster',
    });
  });

  it('applies the CA, the server name and the sentinel password to every TLS and sentinel topology', () => {
    const { cache, queue } = loadConfig({
      REDIS_URL: 'rediss://cache:6380',
      QUEUE_REDIS_URL: 'rediss+sentinel://s1:26379/m',
      REDIS_TLS_CA_FILE: caFile,
      REDIS_TLS_SERVERNAME: 'redis.internal',
      SENTINEL_PASSWORD: 'sentinel-secret',
    }).redis;
    expect(cache.tls).toEqual({ ca: PEM, servername: 'redis.internal' });
    expect(queue).toMatchObject({
      tls: { ca: PEM, servername: 'redis.internal' },
      sentinelPassword: 'sentinel-secret',
    });
  });

  it('names each malformed URL, without echoing it', () => {
    const problems = problemsOf({
      REDIS_URL: 'redis+sentinel://:hunter2@s1:26379',
      QUEUE_REDIS_URL: 'redis+cluster://a:7000/5',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['QUEUE_REDIS_URL', 'REDIS_URL']);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('stops on a CA file it cannot read or that holds no certificate', () => {
    expect(problemsOf({ REDIS_URL: 'rediss://h', REDIS_TLS_CA_FILE: join(dir, 'missing.pem') })).toEqual([
      'REDIS_TLS_CA_FILE: cannot read the file (ENOENT)',
    ]);
    const notPem = join(dir, 'not.pem');
    writeFileSync(notPem, 'hello');
    expect(problemsOf({ REDIS_URL: 'rediss://h', REDIS_TLS_CA_FILE: notPem })).toEqual([
      'REDIS_TLS_CA_FILE: the file holds no PEM certificate',
    ]);
  });

  it('says when a TLS or Sentinel setting has no URL to apply to', () => {
    const problems = problemsOf({
      REDIS_URL: 'redis://h',
      REDIS_TLS_CA_FILE: caFile,
      SENTINEL_PASSWORD: 'x',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['REDIS_TLS_CA_FILE', 'SENTINEL_PASSWORD']);
  });

  it('keeps the replicas wait inside the enqueue bound', () => {
    expect(loadConfig({}).queue).toMatchObject({ minReplicasAck: 0, replicasAckTimeoutMs: 250 });
    expect(
      problemsOf({
        QUEUE_MIN_REPLICAS_ACK: '1',
        QUEUE_REPLICAS_ACK_TIMEOUT_MS: '800',
        ENQUEUE_TIMEOUT_MS: '750',
      }),
    ).toEqual([
      'QUEUE_REPLICAS_ACK_TIMEOUT_MS: must be less than ENQUEUE_TIMEOUT_MS, which bounds the whole enqueue',
    ]);
  });
});
