import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../../src/config/load-config.js';
import { artifactKeyOf } from '../../src/tasks/task-artifact-key.util.js';
import { eventually } from '../support/eventually.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, TEST_KEYS, testConfig } from '../support/test-env.js';
import { TASK_MODULES, TaskClient } from '../tasks/task-test-kit.js';
import { ADAPTER_TEST_ENV } from './adapter-env.js';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

describe('PDF rendering in a worker thread', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let config: AppConfig;
  let client: TaskClient;
  const artifactPath = (taskId: string) =>
    join(config.server.dataDir, 'artifacts', artifactKeyOf(taskId, 'pdf'));

  beforeAll(async () => {
    redis = await TestRedis.start();
    config = testConfig(redis.url, {
      ...ADAPTER_TEST_ENV,
      PDF_RENDER_THREADS: '1',
      // The 50 sections below are about 1 MB of input.
      BODY_LIMIT_BYTES: String(4 * 1024 * 1024),
      TASK_INPUT_MAX_BYTES: String(4 * 1024 * 1024),
      // Retention keeps one completed task; the sweep runs often enough to watch.
      TASK_COMPLETED_MAX_COUNT: '1',
      ARTIFACT_SWEEP_INTERVAL_MS: '200',
    });
    app = await startTestApp(config, TASK_MODULES);
    client = new TaskClient(app);
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('keeps GET /health/live under 50 ms at p99 while a 50-section PDF renders', async () => {
    const sections = Array.from({ length: 50 }, (_, i) => ({
      heading: `Section ${i + 1}`,
      body: 'word '.repeat(4_000),
    }));
    const id = await client.create('pdf', { title: 'Large report', sections });
    await client.waitFor(id, 'active', 'alice', 15_000);
    const url = `${await app.getUrl()}/health/live`;
    const latencies: number[] = [];
    const started = Date.now();
    let state = 'active';
    while (state === 'active') {
      const t0 = performance.now();
      const res = await fetch(url);
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      expect(res.status).toBe(200);
      if (latencies.length % 20 === 0) state = (await client.get(id)).body.state;
    }
    const renderMs = Date.now() - started;
    const done = await client.waitFor(id, 'completed');
    expect(done.result.artifact.pages).toBeGreaterThan(50);
    // The probes ran for the render's whole length, which on the main thread would have blocked them all
    // along: about a second on a quiet machine (0.94 s seen), several on a loaded one.
    expect(renderMs).toBeGreaterThan(500);
    expect(latencies.length).toBeGreaterThan(50);
    expect(percentile(latencies, 99)).toBeLessThan(50);
  }, 60_000);

  it("deletes a task's artifact once retention removes the task", async () => {
    const sections = [{ heading: 'One', body: 'Short.' }];
    const first = (
      await client.waitFor(await client.create('pdf', { title: 'First', sections }), 'completed')
    ).id;
    expect(existsSync(artifactPath(first))).toBe(true);

    // Completing a second task makes BullMQ drop the first (TASK_COMPLETED_MAX_COUNT=1).
    const second = (
      await client.waitFor(await client.create('pdf', { title: 'Second', sections }), 'completed')
    ).id;
    await eventually(() => expect(existsSync(artifactPath(first))).toBe(false), 5_000);
    expect(existsSync(artifactPath(second))).toBe(true);
    const gone = await client.http.get(`/v1/tasks/${first}/artifact`).set(bearer(TEST_KEYS.alice));
    expect(gone.status).toBe(404);
    const kept = await client.http.get(`/v1/tasks/${second}/artifact`).set(bearer(TEST_KEYS.alice));
    expect(kept.status).toBe(200);
  });
});
