import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../src/redis/local-redis.js';
import { TestRedis } from '../support/redis-server.js';
import { ServiceProcess } from '../support/service-process.js';
import { openssl, redisTlsArgs, selfSigned } from '../support/tls-certificates.js';
import { bearer, tempDir, TEST_API_KEYS, TEST_KEYS } from '../support/test-env.js';

/** A CA: a self-signed certificate that signs the server's (below). */
const makeCa = (dir: string, name: string) => selfSigned(dir, `${name}-ca`, `/CN=${name} test CA`);

/**
 * Issue #19, test 3: a `rediss://` standalone redis-server with a certificate from a CA made here. The
 * built service connects only with that CA configured (REDIS_TLS_CA_FILE, nothing in NODE_EXTRA_CA_CERTS)
 * and refuses to start, saying what to set, on a certificate it cannot verify.
 */
describe('rediss:// with REDIS_TLS_CA_FILE', () => {
  const dir = tempDir('strata-redis-tls-');
  let redis: TestRedis;
  let tlsPort: number;
  let ca: { key: string; cert: string };
  let otherCa: { key: string; cert: string };
  const started: ServiceProcess[] = [];

  beforeAll(async () => {
    ca = makeCa(dir, 'strata');
    otherCa = makeCa(dir, 'other');
    const key = join(dir, 'server.key');
    const csr = join(dir, 'server.csr');
    const cert = join(dir, 'server.pem');
    const ext = join(dir, 'server.ext');
    execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\n' > '${ext}'`]);
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=127.0.0.1');
    openssl(
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-CAcreateserial',
      '-days',
      '1',
      '-out',
      cert,
      '-extfile',
      ext,
    );
    tlsPort = await freePort();
    redis = await TestRedis.start({ extraArgs: redisTlsArgs(tlsPort, { cert, key, ca: ca.cert }) });
  }, 30_000);
  afterAll(async () => {
    for (const service of started) service.kill('SIGKILL');
    await redis?.stop();
  });

  const spawn = async (env: Record<string, string>) => {
    const port = await freePort();
    const service = ServiceProcess.spawn({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: tempDir(),
      API_KEYS: TEST_API_KEYS,
      SHUTDOWN_DRAIN_MS: '0',
      REDIS_URL: `rediss://127.0.0.1:${tlsPort}`,
      ...env,
    });
    started.push(service);
    return { service, base: `http://127.0.0.1:${port}`, port };
  };

  it('connects over TLS with the CA configured: healthy, reads and enqueues work', async () => {
    const { service, base, port } = await spawn({ REDIS_TLS_CA_FILE: ca.cert });
    await service.waitForHttp(port, '/health', 30_000);
    const read = await fetch(`${base}/v1/taxonomy/masks`, { headers: bearer(TEST_KEYS.alice) });
    expect(read.status).toBe(200);
    const enqueue = await fetch(`${base}/v1/tasks/job-search`, {
      method: 'POST',
      headers: { ...bearer(TEST_KEYS.alice), 'content-type': 'application/json' },
      body: JSON.stringify({ input: { query: 'nurse' } }),
    });
    expect(enqueue.status).toBe(202);
    // Every client of the service arrived on the TLS port; none on the plain one.
    const clients = await redis.withClient(async (c) => String(await c.client('LIST')).split('\n'));
    const strata = clients.filter((l) => /name=strata:/.test(l));
    expect(strata.length).toBeGreaterThanOrEqual(3);
    expect(strata.every((l) => l.includes(`laddr=127.0.0.1:${tlsPort}`))).toBe(true);
  }, 60_000);

  it.each([
    ['no CA configured (only the system CAs)', {}, /REDIS_URL .*cannot be verified.*REDIS_TLS_CA_FILE/s],
    ['a CA that did not sign the certificate', { REDIS_TLS_CA_FILE: 'OTHER' }, /cannot be verified/],
    [
      'a name the certificate was not issued for',
      { REDIS_TLS_CA_FILE: 'OURS', REDIS_TLS_SERVERNAME: 'redis.example' },
      /ERR_TLS_CERT_ALTNAME_INVALID/,
    ],
  ])(
    'refuses to start with exit 78 and a clear message: %s',
    async (_what, env, message) => {
      const files: Record<string, string> = { OTHER: otherCa.cert, OURS: ca.cert };
      const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, files[v] ?? v]));
      const { service } = await spawn(resolved);
      expect(await service.exitCode(20_000)).toBe(78);
      expect(service.output).toMatch(message);
      expect(service.output).not.toMatch(/\n\s+at /); // a message, not a stack trace
    },
    30_000,
  );
});
