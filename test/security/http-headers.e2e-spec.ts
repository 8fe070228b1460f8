import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Browser, chromium } from 'playwright-core';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-env.js';
import { baseUrl, call } from './security-kit.js';

/** Debian's chromium, as test/ops/bull-board.e2e-spec.ts uses it (.ci/run installs it). */
const CHROMIUM = '/usr/bin/chromium';
const ORIGIN = 'https://app.example.com';

describe('security headers and CORS', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let withCors: NestFastifyApplication;
  let proxied: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    redis = await TestRedis.start();
    app = await startTestApp(testConfig(redis.url, { APP_ROLE: 'api' }));
    withCors = await startTestApp(testConfig(redis.url, { APP_ROLE: 'api', CORS_ORIGINS: ORIGIN }));
    proxied = await startTestApp(testConfig(redis.url, { APP_ROLE: 'api', TRUST_PROXY: 'true' }));
    base = await baseUrl(app);
  });
  afterAll(async () => {
    await proxied?.close();
    await withCors?.close();
    await app?.close();
    await redis?.stop();
  });

  it('sends helmet headers and a CSP on every answer: 200, 401, 404, 413, health, docs, Bull Board', async () => {
    const answers = [
      ['GET', '/v1/taxonomy', 'alice', 200],
      ['GET', '/v1/taxonomy', 'none', 401],
      ['GET', '/no/such/route', 'alice', 404],
      ['GET', '/health/live', 'none', 200],
      ['GET', '/docs', 'none', 200],
      ['GET', '/admin/queues', 'none', 401],
    ] as const;
    for (const [method, path, who, status] of answers) {
      const res = await call(base, method, path, who);
      expect([path, res.status]).toEqual([path, status]);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      // Plain HTTP: RFC 6797 forbids HSTS there (see the next test).
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      const csp = res.headers.get('content-security-policy') ?? '';
      if (path === '/docs' || path.startsWith('/admin')) {
        // A page: helmet's full set.
        expect(csp).toMatch(/script-src 'self'/);
        expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      } else {
        // JSON: OWASP's set for API responses; the headers that act only on documents stay off.
        expect(csp).toBe("default-src 'none'; frame-ancestors 'none'");
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('cross-origin-opener-policy')).toBeNull();
        expect(res.headers.get('x-xss-protection')).toBeNull();
      }
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
    const tooLarge = await fetch(`${base}/v1/tasks/pdf`, { method: 'POST', body: 'x'.repeat(2_000_000) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sends HSTS only over HTTPS: behind a trusted proxy, as its X-Forwarded-Proto says', async () => {
    const proxiedBase = await baseUrl(proxied);
    const paths = [
      ['/v1/taxonomy', 'alice', 200],
      ['/v1/taxonomy', 'none', 401],
      ['/no/such/route', 'alice', 404],
      ['/docs', 'none', 200],
    ] as const;
    for (const [path, who, status] of paths) {
      // The first read of /v1/taxonomy is a miss (Nest), the rest are hits (the fast path).
      for (const round of [1, 2]) {
        const https = await call(proxiedBase, 'GET', path, who, undefined, { 'x-forwarded-proto': 'https' });
        expect([path, round, https.status]).toEqual([path, round, status]);
        expect(https.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
        const http = await call(proxiedBase, 'GET', path, who, undefined, { 'x-forwarded-proto': 'http' });
        expect(http.headers.get('strict-transport-security')).toBeNull();
      }
    }
    // Without TRUST_PROXY the header is anyone's to send, so it counts for nothing.
    const untrusted = await call(base, 'GET', '/v1/taxonomy', 'alice', undefined, {
      'x-forwarded-proto': 'https',
    });
    expect(untrusted.headers.get('strict-transport-security')).toBeNull();
  });

  it('CORS is off without CORS_ORIGINS: no Access-Control headers, even on a preflight', async () => {
    const preflight = await fetch(`${base}/v1/taxonomy`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const res = await call(base, 'GET', '/v1/taxonomy', 'alice', undefined, { origin: ORIGIN });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('CORS_ORIGINS allows exactly those origins, and exposes the rate-limit headers', async () => {
    const corsBase = await baseUrl(withCors);
    const preflight = await fetch(`${corsBase}/v1/taxonomy`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const res = await call(corsBase, 'GET', '/v1/taxonomy', 'alice', undefined, { origin: ORIGIN });
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/ratelimit-remaining/);
    const other = await call(corsBase, 'GET', '/v1/taxonomy', 'alice', undefined, {
      origin: 'https://evil.example',
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('Swagger UI still renders under its CSP, with no violation reported by the browser', async () => {
    const browser: Browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`${base}/docs`);
      await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
      expect(await page.locator('.opblock').count()).toBeGreaterThan(5);
      // Swagger UI's validator badge is an off-site image; nothing else may be blocked.
      expect(problems.filter((p) => /Content Security Policy/i.test(p) && !/validator/.test(p))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
