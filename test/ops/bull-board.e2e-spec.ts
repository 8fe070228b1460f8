import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Browser, chromium } from 'playwright-core';
import { TaskRegistry } from '../../src/tasks/task-registry.service.js';
import { TaskClient, TASK_MODULES } from '../tasks/task-test-kit.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { tempDir, testConfig, TEST_KEYS } from '../support/test-env.js';

/** Debian's chromium (`apt-get install chromium`; .ci/run installs it), driven by playwright-core. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/**
 * Tests write the screenshot to a temp dir: a test run must not rewrite a tracked file. `npm run
 * docs:bull-board` points this at docs/img/bull-board.png to refresh the image in docs/operations.md.
 */
const SCREENSHOT = process.env.BULL_BOARD_SCREENSHOT ?? join(tempDir(), 'bull-board.png');
const VIEWPORT = { width: 1280, height: 800 };

const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

describe('Bull Board at /admin/queues', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let url: string;
  let browser: Browser;
  let taskId: string;
  /** Every registered type's queue: the built-in four, and any an extension adds (TEST_EXTENSIONS). */
  let queueNames: string[];

  beforeAll(async () => {
    redis = await TestRedis.start();
    app = await startTestApp(testConfig(redis.url), TASK_MODULES);
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    queueNames = [...app.get(TaskRegistry).all().values()].map((task) => task.queueName).sort();
    expect(queueNames).toEqual(expect.arrayContaining(['email', 'job-search', 'narrative', 'pdf']));
    const tasks = new TaskClient(app);
    taskId = await tasks.create('job-search', { query: 'nurse', limit: 3 });
    await tasks.waitFor(taskId, 'completed');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await redis?.stop();
  });

  it('refuses a browser without credentials, and one with a client key', async () => {
    for (const httpCredentials of [undefined, { username: 'alice', password: TEST_KEYS.alice }]) {
      const context = await browser.newContext({ httpCredentials });
      const page = await context.newPage();
      const answers: { status: number; challenge?: string }[] = [];
      page.on('response', (r) =>
        answers.push({ status: r.status(), challenge: r.headers()['www-authenticate'] }),
      );
      // With nothing to answer the Basic challenge, Chromium gives up on the navigation; with refused
      // credentials, it shows the 401 page.
      const outcome = await page.goto(`${url}/admin/queues`).catch((err: Error) => err);
      if (outcome instanceof Error) expect(outcome.message).toMatch(/ERR_INVALID_AUTH_CREDENTIALS/);
      else expect(outcome?.status()).toBe(401);
      expect(answers.length).toBeGreaterThan(0);
      expect(answers.every((a) => a.status === 401 && (a.challenge ?? '').startsWith('Basic '))).toBe(true);
      await page.waitForLoadState('load');
      expect(await page.locator('body').innerText()).not.toMatch(/job-search|narrative/);
      await context.close();
    }
  });

  it('shows an admin every task queue and the completed job', async () => {
    const context = await browser.newContext({
      httpCredentials: { username: 'root', password: TEST_KEYS.admin },
      viewport: VIEWPORT,
    });
    const page = await context.newPage();
    const response = await page.goto(`${url}/admin/queues`);
    expect(response?.status()).toBe(200);
    for (const queue of queueNames) {
      await page.getByRole('link', { name: queue, exact: true }).first().waitFor({ timeout: 15_000 });
    }

    await page.goto(`${url}/admin/queues/queue/job-search?status=completed`);
    const jobId = taskId.slice('job-search.'.length);
    await page.getByText(jobId).first().waitFor({ timeout: 15_000 });
    expect(await page.textContent('body')).toMatch(/nurse/);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    await context.close();
    // A PNG of the viewport: the signature, then the IHDR chunk's width and height.
    const png = readFileSync(SCREENSHOT);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([VIEWPORT.width, VIEWPORT.height]);
  }, 60_000);

  it('refuses client keys, a key under another id, and wrong passwords; read-only by default', async () => {
    const api = `${url}/admin/queues/api/queues`;
    expect((await fetch(api, { headers: basic('alice', TEST_KEYS.alice) })).status).toBe(401);
    expect((await fetch(api, { headers: basic('alice', TEST_KEYS.admin) })).status).toBe(401);
    expect((await fetch(api, { headers: basic('root', `${TEST_KEYS.admin}x`) })).status).toBe(401);
    expect((await fetch(api, { headers: { authorization: `Bearer ${TEST_KEYS.admin}` } })).status).toBe(401);
    expect((await fetch(`${url}/admin/queues/static/favicon-32x32.png`)).status).toBe(401);

    const admin = basic('root', TEST_KEYS.admin);
    const queues = await (await fetch(api, { headers: admin })).json();
    expect(queues.queues.map((q: { name: string }) => q.name).sort()).toEqual(queueNames);
    expect(queues.queues.every((q: { readOnlyMode: boolean }) => q.readOnlyMode)).toBe(true);
    const empty = await fetch(`${api}/job-search/empty`, { method: 'PUT', headers: admin });
    expect(empty.status).toBe(405);
  });
});

describe('Bull Board with BULL_BOARD_READ_ONLY=false', () => {
  it('lets an admin act on a queue', async () => {
    const redis = await TestRedis.start();
    const app = await startTestApp(testConfig(redis.url, { BULL_BOARD_READ_ONLY: 'false', APP_ROLE: 'api' }));
    try {
      const tasks = new TaskClient(app);
      await tasks.create('job-search', { query: 'welder' });
      const queue =
        (await app.getUrl()).replace('[::1]', '127.0.0.1') + '/admin/queues/api/queues/job-search';
      const admin = basic('root', TEST_KEYS.admin);
      expect((await fetch(`${queue}/empty`, { method: 'PUT', headers: admin })).status).toBe(200);
      const waiting = await redis.withClient((c) => c.llen('strata:job-search:wait'));
      expect(waiting).toBe(0);
    } finally {
      await app.close();
      await redis.stop();
    }
  });
});
