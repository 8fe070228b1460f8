import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, testConfig, TEST_KEYS } from '../support/test-env.js';
import { TaskClient } from '../tasks/task-test-kit.js';
import { countCalls, countTaskModule } from './count-task.js';
import { EXAMPLE_STEPS, PipelineClient, statesOf, stepOf, type Step } from './pipeline-kit.js';

const count = (label: string, value?: string, extra: object = {}) => ({
  label,
  ...(value === undefined ? {} : { value }),
  ...extra,
});

/** a → b → c, each passing its value on. */
const CHAIN: Step[] = [
  { id: 'a', type: 'count', input: count('a', 'one') },
  { id: 'b', type: 'count', input: count('b', 'two') },
  { id: 'c', type: 'count', input: count('c'), bind: { value: 'b.result/value' } },
];

describe('pipeline rules', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let pipelines: PipelineClient;

  beforeAll(async () => {
    redis = await TestRedis.start();
    app = await startTestApp(testConfig(redis.url, { TASK_BACKOFF_MS: '50' }), [countTaskModule()]);
    pipelines = new PipelineClient(app);
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });
  beforeEach(() => countCalls.clear());

  const calls = () => Object.fromEntries(['a', 'b', 'c'].map((l) => [l, countCalls.get(l) ?? 0]));

  it('a PATCH re-runs only the changed step and those after it; an input seen before comes from the cache', async () => {
    const { id } = await pipelines.create('development', CHAIN);
    expect((await pipelines.act(id, 'run')).status).toBe(202);
    const first = await pipelines.waitFor(id, 'completed');
    expect(calls()).toEqual({ a: 1, b: 1, c: 1 });
    expect(stepOf(first, 'c').output.value).toBe('two');

    const patched = await pipelines.patch(id, 'b', { input: count('b', 'three') });
    expect(patched.status).toBe(200);
    expect(statesOf(patched.body)).toEqual({ a: 'completed', b: 'pending', c: 'pending' });
    await pipelines.act(id, 'run');
    const second = await pipelines.waitFor(id, 'completed');
    expect(calls()).toEqual({ a: 1, b: 2, c: 2 });
    expect(stepOf(second, 'c').output.value).toBe('three');
    expect(stepOf(second, 'a')).toMatchObject({ cached: false, taskId: stepOf(first, 'a').taskId });

    // Back to the first input: b and c resolve to inputs already run, so neither handler is called.
    await pipelines.patch(id, 'b', { input: count('b', 'two') });
    await pipelines.act(id, 'run');
    const third = await pipelines.waitFor(id, 'completed');
    expect(calls()).toEqual({ a: 1, b: 2, c: 2 });
    expect(stepOf(third, 'b')).toMatchObject({ cached: true, taskId: stepOf(first, 'b').taskId });
    expect(stepOf(third, 'c')).toMatchObject({ cached: true, output: stepOf(first, 'c').output });

    // rerun from a with nothing changed: all cached, no handler called.
    await pipelines.act(id, 'rerun', { from: 'a' });
    const fourth = await pipelines.waitFor(id, 'completed');
    expect(fourth.steps.map((s: any) => s.cached)).toEqual([true, true, true]);
    expect(calls()).toEqual({ a: 1, b: 2, c: 2 });
  });

  it('development /step: one step per call, cached on a second pass; 409 while one is running', async () => {
    const { id } = await pipelines.create('development', CHAIN);
    const [one, two] = await Promise.all([pipelines.act(id, 'step'), pipelines.act(id, 'step')]);
    // Two callers at once: one claims step a, the other finds it running; it runs once.
    expect([one.status, two.status].sort()).toEqual([202, 409]);
    expect(statesOf(await pipelines.settled(id))).toEqual({ a: 'completed', b: 'pending', c: 'pending' });
    expect(calls()).toEqual({ a: 1, b: 0, c: 0 });
    await pipelines.act(id, 'step');
    expect(statesOf(await pipelines.settled(id))).toEqual({ a: 'completed', b: 'completed', c: 'pending' });
    expect(calls()).toEqual({ a: 1, b: 1, c: 0 });
  });

  it('a failing middle step fails the run; the steps after it are skipped and no job is left waiting', async () => {
    const steps = [CHAIN[0], { ...CHAIN[1], input: count('b', 'two', { fail: true }) }, CHAIN[2]];
    const { id } = await pipelines.create('production', steps);
    const run = await pipelines.waitFor(id, 'failed');
    expect(statesOf(run)).toEqual({ a: 'completed', b: 'failed', c: 'skipped' });
    expect(stepOf(run, 'b')).toMatchObject({ error: 'b was told to fail', attemptsMade: 1 });
    expect(calls()).toEqual({ a: 1, b: 1, c: 0 });
    // c's job ends too (failed by its child), rather than waiting for a parent that cannot run.
    const tasks = new TaskClient(app);
    const c = await tasks.waitFor(stepOf(run, 'c').taskId, 'failed');
    expect(c.error).toMatch(/^child .* failed$/);
    expect(statesOf((await pipelines.get(id)).body)).toEqual({ a: 'completed', b: 'failed', c: 'skipped' });
  });

  it('DELETE cancels: waiting steps are removed and shown cancelled', async () => {
    const { id } = await pipelines.create('development', CHAIN);
    await pipelines.act(id, 'step');
    await pipelines.settled(id);
    const res = await pipelines.http.delete(`/v1/pipelines/${id}`).set(bearer(TEST_KEYS.alice));
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('cancelled');
    expect(statesOf(res.body)).toEqual({ a: 'completed', b: 'cancelled', c: 'cancelled' });
    expect((await pipelines.act(id, 'run')).status).toBe(409);
  });

  it('streams step events until the run ends', async () => {
    const { id } = await pipelines.create('development', CHAIN);
    const events: { event: string; data: any }[] = [];
    let sawRun!: () => void;
    const subscribed = new Promise<void>((r) => (sawRun = r));
    const streamed = new Promise<void>((done, fail) => {
      pipelines.http
        .get(`/v1/pipelines/${id}/events`)
        .set(bearer(TEST_KEYS.alice))
        .buffer(true)
        .parse((res, callback) => {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk;
            if (text.includes('event: run')) sawRun();
          });
          res.on('end', () => {
            for (const block of text.split('\n\n')) {
              const event = /^event: (.+)$/m.exec(block)?.[1];
              const data = /^data: (.+)$/m.exec(block)?.[1];
              if (event && data) events.push({ event, data: JSON.parse(data) });
            }
            callback(null, text);
          });
        })
        .end((err) => (err ? fail(err) : done()));
    });
    // The stream's first event is the run as it stands: idle until it is started.
    await subscribed;
    await pipelines.act(id, 'run');
    await streamed;
    expect(events[0]).toMatchObject({ event: 'run', data: { id, state: 'idle' } });
    expect(events.at(-1)).toMatchObject({ event: 'completed', data: { id, state: 'completed' } });
    const completions = events.filter((e) => e.event === 'step' && e.data.state === 'completed');
    expect(completions.map((e) => e.data.id)).toEqual(['a', 'b', 'c']);
  });

  describe('validation: 400 before anything is queued', () => {
    const bad = (steps: unknown, mode = 'production') => pipelines.post({ mode, steps });

    it.each([
      [
        'a bind from an unknown step',
        [{ id: 'a', type: 'count', input: count('a'), bind: { value: 'nope.result/value' } }],
        { field: 'steps.0.bind.value', message: 'no step "nope"' },
      ],
      [
        'a cycle',
        [
          { id: 'a', type: 'count', input: count('a'), bind: { value: 'b.result/value' } },
          { id: 'b', type: 'count', input: count('b'), bind: { value: 'a.result/value' } },
        ],
        { field: 'steps', message: 'the bindings form a cycle through "a", "b"' },
      ],
      [
        'a bad JSON pointer',
        [CHAIN[0], { id: 'b', type: 'count', input: count('b'), bind: { value: 'a.result.value' } }],
        { field: 'steps.1.bind.value', message: expect.stringContaining('"a.result.value": expected') },
      ],
      [
        'a pointer escape that is not ~0 or ~1',
        [CHAIN[0], { id: 'b', type: 'count', input: count('b'), bind: { value: 'a.result/x~2' } }],
        { field: 'steps.1.bind.value', message: expect.stringContaining('expected') },
      ],
      [
        'a .id of the wrong type in a reference field',
        [
          EXAMPLE_STEPS[0],
          { id: 'doc', type: 'pdf', input: { title: 'x' }, bind: { fromTask: 'search.id' } },
        ],
        {
          field: 'steps.1.bind.fromTask',
          message: 'must be the .id of a narrative step ("search" is job-search)',
        },
      ],
      [
        'a bind target the type does not have',
        [CHAIN[0], { id: 'b', type: 'count', input: count('b'), bind: { colour: 'a.result/value' } }],
        { field: 'steps.1.bind.colour', message: 'a count input has no field "colour"' },
      ],
      [
        'an unknown type',
        [{ id: 'a', type: 'teleport', input: {} }],
        { field: 'steps.0.type', message: 'unknown task type "teleport"' },
      ],
      [
        'a duplicate step id',
        [CHAIN[0], CHAIN[0]],
        { field: 'steps.1.id', message: 'duplicate step id "a"' },
      ],
      [
        'an input that fails its schema (outside the bound paths)',
        [
          CHAIN[0],
          { id: 'b', type: 'count', input: { value: 'x', extra: 1 }, bind: { value: 'a.result/value' } },
        ],
        { field: 'steps.1.input.label', message: expect.any(String) },
      ],
    ])('%s', async (_, steps, problem) => {
      const res = await bad(steps);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.details).toContainEqual(problem);
    });

    it('leaves bound paths out of the schema check, and names unknown fields', async () => {
      const res = await bad([
        CHAIN[0],
        { id: 'b', type: 'count', input: { extra: 1 }, bind: { label: 'a.result/label' } },
      ]);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'steps.1.input.extra', message: 'unknown field' }]);
    });

    it('refuses more than PIPELINE_MAX_STEPS steps', async () => {
      const steps = Array.from({ length: 21 }, (_, i) => ({ id: `s${i}`, type: 'count', input: count('x') }));
      const res = await bad(steps);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'steps', message: 'at most 20 steps' }]);
    });

    it('refuses a PATCH that would make a cycle, and PATCHes of production runs', async () => {
      const dev = await pipelines.create('development', CHAIN);
      const cyc = await pipelines.patch(dev.id, 'b', { bind: { value: 'c.result/value' } });
      expect(cyc.status).toBe(400);
      expect(cyc.body.details[0].message).toMatch(/cycle/);
      const prod = await pipelines.create('production', CHAIN);
      expect((await pipelines.patch(prod.id, 'a', { input: count('a') })).status).toBe(409);
      expect((await pipelines.act(prod.id, 'step')).status).toBe(409);
      await pipelines.waitFor(prod.id, 'completed');
    });
  });

  it("another key's run answers 404, exactly like a missing one", async () => {
    const { id } = await pipelines.create('development', CHAIN);
    const theirs = await pipelines.get(id, 'bob');
    const missing = await pipelines.get('AAAAAAAAAAAAAAAAAAAAAA', 'bob');
    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(Object.keys(theirs.body).sort()).toEqual(Object.keys(missing.body).sort());
    expect((await pipelines.act(id, 'step', undefined, 'bob')).status).toBe(404);
    expect((await pipelines.http.delete(`/v1/pipelines/${id}`).set(bearer(TEST_KEYS.bob))).status).toBe(404);
    expect((await pipelines.get(id, 'alice')).status).toBe(200);
  });
});
