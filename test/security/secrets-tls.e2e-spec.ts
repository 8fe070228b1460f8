import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../src/redis/local-redis.js';
import { eventually } from '../support/eventually.js';
import { TestRedis } from '../support/redis-server.js';
import { ServiceProcess } from '../support/service-process.js';
import { redisTlsArgs, selfSigned } from '../support/tls-certificates.js';
import { bearer, tempDir, TEST_API_KEYS, TEST_KEYS } from '../support/test-env.js';
import { NARRATIVE_INPUT } from '../tasks/task-test-kit.js';
import { appUserAcl, observerUrl } from './redis-acl.js';

const SECRETS = {
  redisPassword: 'redis-app-password-tls-4242',
  llmKey: 'sk-llm-secret-key-DO-NOT-LOG-0001',
  smtpPassword: 'smtp-secret-password-DO-NOT-LOG',
  unknownKey: 'presented-but-unknown-key-SECRET-77',
  marker: 'TASK-INPUT-SECRET-MARKER-31337',
};

/**
 * The built service as a process (what production runs) on rediss:// with an ACL user, at LOG_LEVEL=debug,
 * fed every kind of secret: keys, credentials in its config, task inputs. Its whole output is searched.
 * TLS needs redis-server built with TLS (Debian's is) and openssl for a self-signed certificate; the
 * certificate is trusted the standard Node way, NODE_EXTRA_CA_CERTS.
 */
describe('rediss:// with ACL auth, and no secret in logs or errors', () => {
  let redis: TestRedis;
  let service: ServiceProcess;
  let base: string;
  let tlsPort: number;
  const dir = tempDir('strata-tls-');
  const cert = join(dir, 'server.pem');

  beforeAll(async () => {
    const { key } = selfSigned(dir, 'server', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1');
    tlsPort = await freePort();
    redis = await TestRedis.start({
      extraArgs: [
        ...appUserAcl('strata', SECRETS.redisPassword),
        ...redisTlsArgs(tlsPort, { cert, key, ca: cert }),
      ],
    });
    const port = await freePort();
    service = ServiceProcess.spawn({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      LOG_LEVEL: 'debug',
      API_KEYS: TEST_API_KEYS,
      REDIS_URL: `rediss://strata:${SECRETS.redisPassword}@127.0.0.1:${tlsPort}`,
      NODE_EXTRA_CA_CERTS: cert,
      TASK_ATTEMPTS: '1',
      SHUTDOWN_DRAIN_MS: '0',
      LLM_BASE_URL: 'http://127.0.0.1:9/v1',
      LLM_API_KEY: SECRETS.llmKey,
      SMTP_URL: `smtp://mailer:${SECRETS.smtpPassword}@127.0.0.1:9`,
    });
    base = `http://127.0.0.1:${port}`;
    await service.waitForHttp(port, '/health/live', 30_000);
  }, 60_000);
  afterAll(async () => {
    service?.kill('SIGKILL');
    await redis?.stop();
  });

  it('talks to Redis over TLS only, as the ACL user', async () => {
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    const observer = new Redis(observerUrl(redis.port));
    try {
      const clients = String(await observer.client('LIST'))
        .split('\n')
        .filter((l) => /user=strata/.test(l));
      expect(clients.length).toBeGreaterThanOrEqual(2);
      expect(clients.every((l) => l.includes(`laddr=127.0.0.1:${tlsPort}`))).toBe(true);
    } finally {
      observer.disconnect();
    }
  });

  it('logs at debug level without keys, credentials or task inputs, and errors do not echo them', async () => {
    const send = (path: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, init).then(async (r) => ({ status: r.status, text: await r.text() }));
    const json = (body: unknown, headers: Record<string, string>) => ({
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    await send('/v1/taxonomy', { headers: bearer(TEST_KEYS.alice) });
    await send('/v1/taxonomy', { headers: { 'x-api-key': TEST_KEYS.admin } });
    expect((await send('/v1/taxonomy', { headers: bearer(SECRETS.unknownKey) })).status).toBe(401);
    const basic = `Basic ${Buffer.from(`root:${TEST_KEYS.admin}`).toString('base64')}`;
    expect((await send('/admin/queues', { headers: { authorization: basic } })).status).toBe(200);
    const narrative = { ...NARRATIVE_INPUT, subject: { ...NARRATIVE_INPUT.subject, name: SECRETS.marker } };
    const answers = [
      await send('/v1/tasks/narrative', json({ input: narrative }, bearer(TEST_KEYS.alice))),
      await send(
        '/v1/tasks/email',
        json({ input: { to: ['a@example.com'], subject: 'x', text: SECRETS.marker } }, bearer(TEST_KEYS.bob)),
      ),
      await send(
        '/v1/tasks/narrative',
        json(
          { input: { subject: SECRETS.marker, [SECRETS.marker.toLowerCase()]: 1 } },
          bearer(TEST_KEYS.alice),
        ),
      ),
      await send('/v1/tasks/pdf', json(`{"input": {"title": "${SECRETS.marker}"`, bearer(TEST_KEYS.alice))),
    ];
    expect(answers.map((a) => a.status)).toEqual([202, 202, 400, 400]);
    for (const a of answers) expect(a.text).not.toContain(SECRETS.marker);
    // Let both tasks fail in their adapters (nothing listens on port 9), which logs their errors.
    for (const [i, key] of [
      [0, TEST_KEYS.alice],
      [1, TEST_KEYS.bob],
    ] as const) {
      const id = JSON.parse(answers[i].text).id as string;
      const view = await eventually(
        async () => {
          const v = await (await fetch(`${base}/v1/tasks/${id}`, { headers: bearer(key) })).json();
          if (v.state !== 'failed') throw new Error(JSON.stringify(v));
          return v;
        },
        30_000,
        200,
      );
      for (const secret of Object.values(SECRETS)) expect(JSON.stringify(view)).not.toContain(secret);
    }
    // A Redis outage makes every client log its (redacted) URL, password included in the real one.
    await redis.kill();
    // Every client logs the outage once, naming its redacted URL; the cache says it serves from memory.
    const lost = (role: string) => (line: string) =>
      line.includes(`"Redis:${role}"`) && line.includes('connection lost to rediss://strata:***@');
    await eventually(() => {
      const lines = service.output.split('\n');
      for (const role of ['cache', 'queue', 'subscriber', 'queue-worker']) {
        expect(lines.some(lost(role))).toBe(true);
      }
      expect(service.output).toContain('cache Redis unavailable');
    }, 10_000);
    // SIGKILL: a clean shutdown would wait for the dead Redis; pino has written every line already.
    service.kill('SIGKILL');
    await service.exitCode();
    const output = service.output;
    expect(output).toMatch(/"level":20/); // debug lines were written, so the search below means something
    expect(output).toMatch(/connection lost to rediss:\/\/strata:\*\*\*@/);
    const leaked = [...Object.values(SECRETS), ...Object.values(TEST_KEYS)].filter((s) => output.includes(s));
    expect(leaked).toEqual([]);
  }, 60_000);
});
