import { freePort } from '../../src/redis/local-redis.js';
import { eventually } from '../support/eventually.js';
import { TestRedis } from '../support/redis-server.js';
import { ServiceProcess } from '../support/service-process.js';
import { bearer, TEST_API_KEYS, TEST_KEYS, tempDir } from '../support/test-env.js';

/** `npm start` (dist/main.js) honours STRATA_EXTENSIONS as the in-process harness does. */
describe('STRATA_EXTENSIONS in the service process', () => {
  let redis: TestRedis;
  const running: ServiceProcess[] = [];
  const start = (env: Record<string, string>) => {
    const p = ServiceProcess.spawn({
      LOG_LEVEL: 'info',
      DATA_DIR: tempDir(),
      API_KEYS: TEST_API_KEYS,
      REDIS_URL: redis.url,
      APP_ROLE: 'api',
      ...env,
    });
    running.push(p);
    return p;
  };

  beforeAll(async () => {
    redis = await TestRedis.start();
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.killed()));
    await redis?.stop();
  });

  it('loads a JavaScript extension; its global guard makes the fast path step aside, with one warning', async () => {
    const port = await freePort();
    const p = start({ PORT: String(port), STRATA_EXTENSIONS: 'test/extensions/tenant-guard.extension.mjs' });
    // The guard wants the header everywhere, probes included (it knows nothing of @Public()).
    await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/health/live`, { headers: { 'x-tenant': 'ops' } });
      if (res.status !== 200) throw new Error(`/health/live: ${res.status}`);
    }, 30_000);
    const url = `http://127.0.0.1:${port}/v1/taxonomy/masks`;
    const headers = { ...bearer(TEST_KEYS.bob), 'x-tenant': 'acme' };
    expect((await fetch(url, { headers })).status).toBe(200);
    expect((await fetch(url, { headers })).headers.get('x-cache')).toBe('HIT');
    const refused = await fetch(url, { headers: bearer(TEST_KEYS.bob) });
    expect([refused.status, (await refused.json()).message]).toEqual([400, 'the X-Tenant header is required']);
    const warnings = p.output
      .split('\n')
      .filter((line) => line.includes('cache hits go through Nest: the global guard TenantGuard'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/"level":40/);
    expect(warnings[0]).toMatch(/requests a second of the fast path/);
  });

  it('exits 78 naming STRATA_EXTENSIONS when a path is not a file', async () => {
    const p = start({ STRATA_EXTENSIONS: 'test/extensions/missing.extension.mjs' });
    expect(await p.exitCode()).toBe(78);
    expect(p.output).toMatch(/STRATA_EXTENSIONS: \S*test\/extensions\/missing\.extension\.mjs is not a file/);
  });

  it('refuses to start when an extension exports no Nest module', async () => {
    const p = start({ STRATA_EXTENSIONS: 'test/extensions/not-a-module.extension.mjs' });
    expect(await p.exitCode()).toBe(1);
    expect(p.output).toMatch(/STRATA_EXTENSIONS: \S*not-a-module\.extension\.mjs must export default a Nest module/);
  });
});
