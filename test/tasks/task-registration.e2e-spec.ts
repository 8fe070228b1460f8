import { Module } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { z } from 'zod';
import { TaskProcessorHost } from '../../src/tasks/task-processor.host.js';
import { TaskTypeModule } from '../../src/tasks/task-type.module.js';
import { defineTask } from '../../src/tasks/task-type.js';
import { createHttpApp } from '../../src/app.factory.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-env.js';
import { probeTask, ProbeProcessor, probeTaskModule } from './probe-task.js';
import { TaskClient, TASK_MODULES } from './task-test-kit.js';

const orphanTask = defineTask({
  type: 'orphan',
  input: z.object({}),
  output: z.object({}),
  lockDurationMs: 1_000,
});

@Processor(probeTask.queueName)
class SecondProbeProcessor extends TaskProcessorHost<typeof probeTask> {
  readonly task = probeTask;
  protected async handle() {
    return { tag: 'second', pid: process.pid };
  }
}

@Module({ providers: [ProbeProcessor, SecondProbeProcessor] })
class TwoProbeProcessorsModule {}

/** A type whose processor breaks its own output schema: a field of the wrong type, one undeclared. */
const liarTask = defineTask({
  type: 'liar',
  input: z.object({ extra: z.boolean() }),
  output: z.object({ count: z.number().int() }),
  lockDurationMs: 5_000,
});

@Processor(liarTask.queueName)
class LiarProcessor extends TaskProcessorHost<typeof liarTask> {
  readonly task = liarTask;
  protected async handle(input: { extra: boolean }) {
    // What a processor might do by mistake; the type system is told otherwise on purpose.
    return (input.extra ? { count: 1, total: 2 } : { count: 'one' }) as unknown as { count: number };
  }
}

@Module({ providers: [LiarProcessor] })
class LiarProcessorModule {}

describe('task type registration', () => {
  let redis: TestRedis;

  beforeAll(async () => {
    redis = await TestRedis.start();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  /** Starts the app expecting a refusal; closes what the partial start opened. */
  async function refusal(
    extra: Parameters<typeof createHttpApp>[1],
    env: Record<string, string> = {},
  ): Promise<string> {
    const app = await createHttpApp(testConfig(redis.url, env), extra);
    try {
      await app.init();
      return 'started';
    } catch (err) {
      return (err as Error).message;
    } finally {
      await app.close();
    }
  }

  it('refuses to start when a registered type has no processor', async () => {
    expect(await refusal([TaskTypeModule.register(orphanTask)])).toMatch(
      /task type "orphan" has no processors/,
    );
  });

  it('refuses to start when a type has two processors', async () => {
    expect(await refusal([TaskTypeModule.register(probeTask, TwoProbeProcessorsModule)])).toMatch(
      /task type "probe" has 2 processors/,
    );
  });

  it('gives a type from outside src/ the concurrency its <TYPE>_CONCURRENCY says', async () => {
    const app = await startTestApp(testConfig(redis.url, { PROBE_CONCURRENCY: '3' }), [
      ...TASK_MODULES,
      probeTaskModule(),
    ]);
    try {
      expect(app.get(ProbeProcessor).worker.concurrency).toBe(3);
      // Without the variable, the definition's default (1 for the probe).
      expect(probeTask.concurrency).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('refuses to start workers when a <TYPE>_CONCURRENCY names no registered type', async () => {
    expect(await refusal(TASK_MODULES, { PROBE_CONCURRENCY: '2' })).toMatch(
      /PROBE_CONCURRENCY: no task type "probe" is registered \(known: .*JOB_SEARCH_CONCURRENCY/,
    );
  });

  it('fails a task whose result breaks the output schema, naming the field (outside production)', async () => {
    const app = await startTestApp(testConfig(redis.url), [
      ...TASK_MODULES,
      TaskTypeModule.register(liarTask, LiarProcessorModule),
    ]);
    try {
      const client = new TaskClient(app);
      const wrong = await client.waitFor(await client.create('liar', { extra: false }), 'failed');
      expect(wrong.error).toMatch(/^the liar result does not match its output schema: result\.count: /);
      expect(wrong.attemptsMade).toBe(1);
      const extra = await client.waitFor(await client.create('liar', { extra: true }), 'failed');
      expect(extra.error).toBe(
        'the liar result does not match its output schema: result.total: unknown field',
      );
    } finally {
      await app.close();
    }
  });

  it('starts an api-only process without any processor', async () => {
    const app = await startTestApp(testConfig(redis.url, { APP_ROLE: 'api' }), [
      TaskTypeModule.register(orphanTask),
    ]);
    await app.close();
  });
});
