import { freePort } from '../../src/redis/local-redis.js';
import { eventually } from '../support/eventually.js';
import { TestRedis } from '../support/redis-server.js';
import { ServiceProcess } from '../support/service-process.js';
import { TEST_API_KEYS, tempDir } from '../support/test-env.js';

describe('the service process', () => {
  let redis: TestRedis;
  const running: ServiceProcess[] = [];
  const start = (env: Record<string, string>) => {
    const p = ServiceProcess.spawn({
      LOG_LEVEL: 'info',
      DATA_DIR: tempDir(),
      API_KEYS: TEST_API_KEYS,
      ...env,
    });
    running.push(p);
    return p;
  };

  beforeAll(async () => {
    redis = await TestRedis.start();
  });
  afterAll(async () => {
    running.forEach((p) => p.kill());
    await redis?.stop();
  });

  it('exits non-zero naming the bad variable', async () => {
    const p = start({ PORT: 'eighty', REDIS_URL: redis.url });
    expect(await p.exitCode()).not.toBe(0);
    expect(p.output).toMatch(/PORT: /);
  });

  it('exits 78 naming a <TYPE>_CONCURRENCY that no registered task type reads', async () => {
    const p = start({ APP_ROLE: 'worker', NOPE_CONCURRENCY: '2', REDIS_URL: redis.url });
    // Found once the modules are loaded (the registry is known then), after the database has started.
    expect(await p.exitCode(45_000)).toBe(78);
    expect(p.output).toMatch(/NOPE_CONCURRENCY: no task type "nope" is registered/);
  }, 60_000);

  it('refuses to start in production without API keys', async () => {
    const p = start({ NODE_ENV: 'production', API_KEYS: '', REDIS_URL: redis.url });
    expect(await p.exitCode()).not.toBe(0);
    expect(p.output).toMatch(/API_KEYS: required when NODE_ENV=production/);
  });

  it('on SIGTERM: readiness turns 503 while draining, then it exits 0', async () => {
    const port = await freePort();
    const p = start({ PORT: String(port), REDIS_URL: redis.url, SHUTDOWN_DRAIN_MS: '1500' });
    await p.waitForHttp(port, '/health/ready');
    p.kill('SIGTERM');
    // Polled: 503 must show within the 1.5 s drain, while the process still answers.
    await eventually(async () => {
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(503);
    }, 1_500);
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
    expect(await p.exitCode()).toBe(0);
    expect(p.output).toMatch(/shutdown complete/);
  });

  it('logs one JSON line per request, with its id and without keys or query strings', async () => {
    const port = await freePort();
    const p = start({ PORT: String(port), REDIS_URL: redis.url, LOG_LEVEL: 'info' });
    await p.waitForHttp(port);
    const key = TEST_API_KEYS.split(',')[1].split(':')[2];
    const res = await fetch(`http://127.0.0.1:${port}/v1/taxonomy/masks?token=hunter2`, {
      headers: { authorization: `Bearer ${key}`, 'x-request-id': 'trace-42' },
    });
    expect(res.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/v1/taxonomy/masks`)).status).toBe(401);
    // A line is written once its answer has been sent, so it may land just after the client has it.
    await eventually(() => {
      const lines = p.output
        .split('\n')
        .filter((l) => l.includes('"request completed"'))
        .map((l) => JSON.parse(l));
      expect(lines).toContainEqual(
        expect.objectContaining({
          reqId: 'trace-42',
          req: { method: 'GET', path: '/v1/taxonomy/masks' },
          res: { statusCode: 200 },
        }),
      );
      expect(lines).toContainEqual(expect.objectContaining({ level: 40, res: { statusCode: 401 } }));
    }, 5_000);
    p.kill('SIGTERM');
    await p.exitCode();
    expect(p.output).not.toContain('hunter2');
    expect(p.output).not.toContain(key);
  });

  it('refuses a second process on one embedded database, naming the first; takes over after a SIGKILL', async () => {
    const dataDir = tempDir();
    const [portA, portB, portC] = [await freePort(), await freePort(), await freePort()];
    const admin = { authorization: `Bearer ${TEST_API_KEYS.split(',')[0].split(':')[2]}` };
    const mentor = (port: number) => `http://127.0.0.1:${port}/v1/taxonomy/masks/the-mentor`;
    const a = start({ PORT: String(portA), REDIS_URL: redis.url, DATA_DIR: dataDir });
    await a.waitForHttp(portA, '/health/ready');
    const put = await fetch(mentor(portA), {
      method: 'PUT',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Written by the first process' }),
    });
    expect(put.status).toBe(200);

    const b = start({ PORT: String(portB), REDIS_URL: redis.url, DATA_DIR: dataDir });
    expect(await b.exitCode()).not.toBe(0);
    expect(b.output).toContain(`is in use by process ${a.child.pid}`);
    expect(b.output).not.toMatch(/\n\s+at /); // the message, not a stack trace
    expect((await fetch(`http://127.0.0.1:${portA}/health/ready`)).status).toBe(200);

    await a.killed('SIGKILL');
    const c = start({ PORT: String(portC), REDIS_URL: redis.url, DATA_DIR: dataDir });
    await c.waitForHttp(portC, '/health/ready');
    const read = await fetch(mentor(portC), { headers: admin });
    expect((await read.json()).name).toBe('Written by the first process');
    c.kill('SIGTERM');
    expect(await c.exitCode()).toBe(0);
  });

  it('generates and prints development keys when none are configured, and they work', async () => {
    const port = await freePort();
    const p = start({ PORT: String(port), REDIS_URL: redis.url, API_KEYS: '', NODE_ENV: 'development' });
    await p.waitForHttp(port);
    const client = /client \(dev-client\): (\S+)/.exec(p.output)?.[1];
    expect(client).toMatch(/^strata_dev_client_/);
    const res = await fetch(`http://127.0.0.1:${port}/v1/taxonomy`, {
      headers: { authorization: `Bearer ${client}` },
    });
    expect(res.status).toBe(200);
    const anonymous = await fetch(`http://127.0.0.1:${port}/v1/taxonomy`);
    expect(anonymous.status).toBe(401);
    // The example printed with the keys is a read that works, on this process's port.
    const example = /curl -H 'Authorization: Bearer \S+' (\S+)/.exec(p.output)?.[1];
    expect(example).toMatch(new RegExp(`:${port}/v1/taxonomy$`));
    const tried = await fetch(example!.replace('localhost', '127.0.0.1'), {
      headers: { authorization: `Bearer ${client}` },
    });
    expect(tried.status).toBe(200);
    p.kill('SIGTERM');
    expect(await p.exitCode()).toBe(0);
    // Printed once at start, on stderr as plain text: never inside a structured (JSON) log line.
    const jsonLines = p.output.split('\n').filter((line) => line.startsWith('{'));
    expect(jsonLines.length).toBeGreaterThan(0);
    expect(jsonLines.filter((line) => line.includes(client!))).toEqual([]);
    expect(p.output.match(/Development API keys/g)).toHaveLength(1);
  });
});
