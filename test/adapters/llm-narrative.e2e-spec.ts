import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { eventually } from '../support/eventually.js';
import { OpenAiServer } from '../support/openai-server.js';
import { ADAPTER_TEST_ENV } from './adapter-env.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-env.js';
import { NARRATIVE_INPUT, TASK_MODULES, TaskClient } from '../tasks/task-test-kit.js';

const API_KEY = 'sk-test-0123456789-secret';

describe('narrative via an OpenAI-compatible LLM', () => {
  let redis: TestRedis;
  let llm: OpenAiServer;
  let app: NestFastifyApplication;
  let client: TaskClient;

  beforeAll(async () => {
    redis = await TestRedis.start();
    llm = await OpenAiServer.start();
    const config = testConfig(redis.url, {
      ...ADAPTER_TEST_ENV,
      LLM_BASE_URL: llm.baseUrl,
      LLM_API_KEY: API_KEY,
      LLM_MODEL: 'test-model',
      LLM_MAX_PER_MINUTE: '0',
      // An ordinary retry would wait a minute: a quick one can only come from the server's Retry-After.
      TASK_BACKOFF_MS: '60000',
    });
    app = await startTestApp(config, TASK_MODULES);
    client = new TaskClient(app);
  });
  afterAll(async () => {
    await app?.close();
    await llm?.close();
    await redis?.stop();
  });
  beforeEach(() => {
    llm.requests.length = 0;
    llm.script.length = 0;
  });

  it('streams the answer into the result, reporting progress as tokens arrive', async () => {
    const id = await client.create('narrative', NARRATIVE_INPUT);
    const seen = new Set<number>();
    let done;
    for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
      const view = (await client.get(id)).body;
      if (typeof view.progress === 'number') seen.add(view.progress);
      if (view.state === 'completed' || view.state === 'failed') {
        done = view;
        break;
      }
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(done).toMatchObject({
      state: 'completed',
      attemptsMade: 1,
      progress: 100,
      result: {
        generator: 'llm',
        model: 'test-model-2025',
        usage: { promptTokens: 120, completionTokens: 30, totalTokens: 150 },
        text: OpenAiServer.answerFor('Ada Okafor'),
      },
    });
    // Values strictly between the start (10) and the end (100) can only come from the stream.
    expect([...seen].some((p) => p > 10 && p < 100)).toBe(true);

    expect(llm.requests).toHaveLength(1);
    const [request] = llm.requests;
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.body).toMatchObject({ model: 'test-model', stream: true });
    const [system, user] = request.body.messages;
    expect(system.role).toBe('system');
    expect(system.content).toMatch(/Narrative voice, the ".+" mask: \S+/);
    expect(JSON.parse(user.content)).toMatchObject({ name: 'Ada Okafor', experiences: expect.any(Array) });
  });

  it('reads a plain JSON answer when the server does not stream', async () => {
    llm.script.push({ kind: 'json' });
    const id = await client.create('narrative', {
      ...NARRATIVE_INPUT,
      subject: { ...NARRATIVE_INPUT.subject, name: 'Grace Hopper' },
    });
    const done = await client.waitFor(id, 'completed');
    expect(done.result).toMatchObject({ generator: 'llm', text: OpenAiServer.answerFor('Grace Hopper') });
    expect(llm.requests[0].body.stream).toBe(true);
  });

  it('429 with Retry-After: retried once, after the delay the server asked for', async () => {
    llm.script.push({ kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    const id = await client.create('narrative', NARRATIVE_INPUT);
    const done = await client.waitFor(id, 'completed', 'alice', 20_000);
    expect(done.attemptsMade).toBe(2);
    expect(llm.requests).toHaveLength(2);
    const gap = llm.requests[1].at - llm.requests[0].at;
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(gap).toBeLessThan(10_000);
  });

  it('401: failed after one attempt, and the error carries neither the key nor the body', async () => {
    llm.script.push({ kind: 'status', status: 401 });
    const id = await client.create('narrative', NARRATIVE_INPUT);
    const failed = await client.waitFor(id, 'failed');
    expect(failed.attemptsMade).toBe(1);
    expect(failed.error).toBe('the LLM provider answered HTTP 401');
    // Waited out on purpose: no retry may follow, and an absence cannot be polled for.
    await new Promise((r) => setTimeout(r, 500));
    expect(llm.requests).toHaveLength(1);
  });
});

describe('LLM_MAX_PER_MINUTE across workers', () => {
  let redis: TestRedis;
  let llm: OpenAiServer;
  const apps: NestFastifyApplication[] = [];

  beforeAll(async () => {
    redis = await TestRedis.start();
    llm = await OpenAiServer.start();
    llm.chunkDelayMs = 0;
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await llm?.close();
    await redis?.stop();
  });

  it('lets two worker instances together make no more calls than the limit', async () => {
    const env = { ...ADAPTER_TEST_ENV, LLM_BASE_URL: llm.baseUrl, LLM_MAX_PER_MINUTE: '2' };
    for (let i = 0; i < 2; i++) apps.push(await startTestApp(testConfig(redis.url, env), TASK_MODULES));
    const client = new TaskClient(apps[0]);
    const ids = await Promise.all([0, 1, 2, 3].map(() => client.create('narrative', NARRATIVE_INPUT)));
    const states = async () => Promise.all(ids.map(async (id) => (await client.get(id)).body.state));
    const started = Date.now();
    await eventually(() => expect(llm.requests).toHaveLength(2), 10_000);
    // Waited out on purpose: no third call may come while the minute lasts.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(llm.requests).toHaveLength(2);
    expect((await states()).filter((s) => s === 'completed')).toHaveLength(2);
    // Both workers were up and asking: the limit, not a slow start, held the others back.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
