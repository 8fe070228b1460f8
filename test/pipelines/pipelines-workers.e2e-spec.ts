import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { eventually } from '../support/eventually.js';
import { JobSearchServer } from '../support/job-search-server.js';
import { TestRedis } from '../support/redis-server.js';
import { ServiceProcess } from '../support/service-process.js';
import { startTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-env.js';
import { NARRATIVE_INPUT } from '../tasks/task-test-kit.js';
import { PipelineClient, stepOf, type Step } from './pipeline-kit.js';

const pidOf = (step: { worker: string }) => Number(step.worker.split(':').at(-1));

/** A fast search, a slow one bound to the first's location, a narrative about the first's top posting. */
const STEPS: Step[] = [
  { id: 'first', type: 'job-search', input: { query: 'engineer', limit: 3 } },
  {
    id: 'slow',
    type: 'job-search',
    input: { query: 'slow' },
    bind: { location: 'first.result/results/0/location' },
  },
  {
    id: 'story',
    type: 'narrative',
    input: { subject: NARRATIVE_INPUT.subject },
    bind: { 'subject.headline': 'first.result/results/0/title' },
  },
];

describe('pipeline runs across worker processes', () => {
  let redis: TestRedis;
  let search: JobSearchServer;
  let api: NestFastifyApplication;
  let pipelines: PipelineClient;
  const workers: ServiceProcess[] = [];

  /** A worker-role process of the built service, ready once its health port says so. */
  const startWorker = async () => {
    const { worker, port } = await ServiceProcess.spawnWorker(redis.url, {
      JOB_SEARCH_URL: search.url,
      JOB_SEARCH_CACHE_TTL_S: '0',
    });
    workers.push(worker);
    await worker.waitForHttp(port, '/health/ready', 20_000).catch((err: Error) => {
      throw new Error(`${err.message}; worker output:\n${worker.output}`);
    });
    return worker;
  };

  beforeAll(async () => {
    redis = await TestRedis.start();
    search = await JobSearchServer.start();
    api = await startTestApp(testConfig(redis.url, { APP_ROLE: 'api' }));
    pipelines = new PipelineClient(api);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.killed()));
    await api?.close();
    await search?.close();
    await redis?.stop();
  });

  it('a worker SIGKILLed mid-run: another worker process takes the step over and completes the run', async () => {
    // Long enough to kill its worker mid-step, short enough not to outlive the suite.
    search.slowMs = 10_000;
    const first = await startWorker();
    const { id } = await pipelines.create('production', STEPS);
    await pipelines.waitFor(id, 'running');
    await eventually(
      async () => {
        const run = (await pipelines.get(id)).body;
        if (stepOf(run, 'slow').state !== 'active') throw new Error(JSON.stringify(run));
      },
      15_000,
      50,
    );
    const second = await startWorker();
    search.slowMs = 50;
    await first.killed();

    const run = await pipelines.waitFor(id, 'completed', 20_000);
    expect(pidOf(stepOf(run, 'first'))).toBe(first.child.pid);
    expect(pidOf(stepOf(run, 'slow'))).toBe(second.child.pid);
    expect(pidOf(stepOf(run, 'story'))).toBe(second.child.pid);
    // The survivor resolved the binding from the output the dead process left in Redis.
    const slowCalls = search.requests.filter((u) => u.searchParams.get('q') === 'slow');
    expect(slowCalls.length).toBe(2);
    expect(slowCalls.every((u) => u.searchParams.get('location') === 'Berlin')).toBe(true);
    expect(stepOf(run, 'story').output.text).toContain('engineer 1');
  }, 60_000);

  it('two worker processes share one development run: steps, outputs and cache in Redis', async () => {
    const [running] = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    const { id } = await pipelines.create('development', STEPS);
    await pipelines.act(id, 'step');
    const afterOne = await pipelines.settled(id);
    expect(stepOf(afterOne, 'first').state).toBe('completed');

    const other = await startWorker();
    await running.killed('SIGTERM');
    await pipelines.act(id, 'run');
    const run = await pipelines.waitFor(id, 'completed');
    expect(pidOf(stepOf(run, 'first'))).toBe(running.child.pid);
    expect(pidOf(stepOf(run, 'slow'))).toBe(other.child.pid);
    expect(pidOf(stepOf(run, 'story'))).toBe(other.child.pid);

    // The cache is shared too: a rerun on the other process answers every step from it.
    await pipelines.act(id, 'rerun', { from: 'first' });
    const again = await pipelines.waitFor(id, 'completed');
    expect(again.steps.map((s: any) => [s.cached, pidOf(s)])).toEqual([
      [true, other.child.pid],
      [true, other.child.pid],
      [true, other.child.pid],
    ]);
  }, 60_000);
});
